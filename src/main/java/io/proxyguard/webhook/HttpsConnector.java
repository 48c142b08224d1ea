package io.proxyguard.webhook;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.time.Duration;

/**
 * A Jetty connector for HTTPS that speaks HTTP/2 and HTTP/1.1, chosen by ALPN (HTTP/1.1 for clients
 * that offer no ALPN). The API server uses HTTP/2 when offered; curl and older clients use HTTP/1.1.
 * TLS follows {@link TlsPolicy}. A connection silent for {@code idleTimeout} is closed, whether it is
 * between requests or in the middle of a handshake, of headers or of a body: a client that trickles bytes
 * and stops holds no connection for long. Headers are capped at 8 KiB (431 beyond; an AdmissionReview
 * needs a few hundred bytes of them).
 */
final class HttpsConnector {

    private HttpsConnector() {
    }

    static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;

    static ServerConnector create(Server server, HttpConfiguration base, SslContextFactory.Server tls, TlsPolicy policy,
                                  String host, int port, Duration idleTimeout) {
        policy.applyTo(tls);
        HttpConfiguration https = new HttpConfiguration(base);
        https.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        https.setIdleTimeout(idleTimeout.toMillis());
        https.addCustomizer(new SecureRequestCustomizer());
        HttpConnectionFactory http1 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
        // No explicit list: ALPN offers the connector's protocols under their wire names (h2, http/1.1).
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http1.getProtocol());
        SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
        ServerConnector connector = new ServerConnector(server, ssl, alpn, http2, http1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        return connector;
    }
}
