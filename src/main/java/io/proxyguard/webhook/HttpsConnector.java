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

/**
 * A Jetty connector for HTTPS that speaks HTTP/2 and HTTP/1.1, chosen by ALPN (HTTP/1.1 for clients
 * that offer no ALPN). The API server uses HTTP/2 when offered; curl and older clients use HTTP/1.1.
 */
final class HttpsConnector {

    private HttpsConnector() {
    }

    static ServerConnector create(Server server, HttpConfiguration base, SslContextFactory.Server tls, String host, int port) {
        HttpConfiguration https = new HttpConfiguration(base);
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
        return connector;
    }
}
