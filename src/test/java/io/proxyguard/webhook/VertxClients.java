package io.proxyguard.webhook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import io.proxyguard.tls.CertificateFiles;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x HTTP clients for the webhook, trusting only the test CA: a client that keeps its connections open,
 * reports GOAWAY frames, moves to a new connection after one and honours {@code Connection: close}, as the API
 * server's Go client does. One event loop per test; {@link #close()} stops it.
 */
final class VertxClients implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();

    /** A client for {@code localhost:port} over {@code version}: HTTP/2 on one connection, HTTP/1.1 on up to four. */
    HttpClient client(HttpVersion version, CertificateFiles trusted, int port) {
        return vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true).setUseAlpn(true).setProtocolVersion(version)
                .setTrustOptions(new PemTrustOptions().addCertPath(trusted.caCert().toString()))
                .setVerifyHost(true).setDefaultHost("localhost").setDefaultPort(port)
                .setHttp2MaxPoolSize(1).setMaxPoolSize(4).setKeepAlive(true));
    }

    /** The future's value within {@link #PATIENCE}; its failure is thrown as it is. */
    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void close() throws Exception {
        await(vertx.close());
    }
}
