package io.proxyguard.certmanager;

import io.proxyguard.tls.KeyStores;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A client that calls the webhook the way the API server does: it dials the Service's DNS name (here routed
 * to the loopback port), sends that name as SNI, verifies the certificate against that name and trusts
 * exactly the CAs given, nothing from the JDK.
 */
final class WebhookOverTls {

    /** What came back: the HTTP status line's code, the raw response, and the certificate the server showed. */
    record Answer(int status, String response, X509Certificate peer) {
    }

    private WebhookOverTls() {
    }

    static Answer post(int port, String serviceDnsName, List<X509Certificate> trusted, String path, String json)
            throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(KeyStores.trusting(trusted.toArray(X509Certificate[]::new)));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(10_000);
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, serviceDnsName, port, true)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName(serviceDnsName)));
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            X509Certificate peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = tls.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + serviceDnsName + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = tls.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
            return new Answer(status, response, peer);
        }
    }
}
