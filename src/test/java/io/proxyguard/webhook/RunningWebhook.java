package io.proxyguard.webhook;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.tls.CertificateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code proxyguard serve} in this JVM on ephemeral loopback ports, with a certificate from
 * {@code proxyguard certs}, and clients that trust only that certificate's CA.
 */
final class RunningWebhook implements AutoCloseable {

    private static final HttpClient HEALTH_CLIENT = HttpClient.newHttpClient();

    final CertificateFiles certificates;
    final AtomicReference<ClusterView> view = new AtomicReference<>(ClusterView.EMPTY);
    final WebhookServer server;

    private RunningWebhook(CertificateFiles certificates, ServeSettings settings) throws Exception {
        this.certificates = certificates;
        this.server = WebhookServer.start(settings, ServeHooks.withView(view::get), new PrometheusRegistry());
    }

    /** Starts with new certificates in {@code dir} and the given config file (or defaults). */
    static RunningWebhook start(Path dir, Optional<Path> config) throws Exception {
        return start(dir, config, ServeSettings.DEFAULT_IDLE_TIMEOUT, ServeSettings.DEFAULT_MAX_CONCURRENT_REVIEWS, Optional.empty());
    }

    /** Starts with the hardening options given: idle timeout, concurrency cap, client CA. */
    static RunningWebhook start(Path dir, Optional<Path> config, Duration idleTimeout, int maxConcurrentReviews,
                                Optional<Path> clientCa) throws Exception {
        CertificateFiles certificates = TestCertificates.create(dir);
        ServeSettings settings = new ServeSettings(config, "127.0.0.1", 0, 0,
                Optional.of(certificates.tlsCert()), Optional.of(certificates.tlsKey()), dir.resolve("unused-local"),
                Duration.ofMillis(100), Duration.ofSeconds(5), idleTimeout, maxConcurrentReviews, clientCa);
        return new RunningWebhook(certificates, settings);
    }

    WebhookClient client(HttpClient.Version version) {
        return new WebhookClient(TestCertificates.trustingOnly(certificates), version, server.port());
    }

    WebhookClient http2() {
        return client(HttpClient.Version.HTTP_2);
    }

    /** The plain-HTTP side port. */
    HttpResponse<String> health(String path) {
        try {
            return HEALTH_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of one sample in {@code /metrics}, e.g. {@code proxyguard_config_reloads_total{result="success"}}; 0 when absent. */
    double metric(String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(health("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    @Override
    public void close() {
        server.stop();
    }
}
