package io.proxyguard.webhook;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.CertificateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A webhook whose certificate comes from a {@link CertificateFeed} instead of files: not ready and refusing
 * handshakes until the first certificate arrives, then serving each one handed over, with no file written.
 */
class InMemoryCertificateTest {

    @TempDir
    Path dir;

    @Test
    void notReadyUntilTheFirstCertificateThenServesEveryOneHandedOver() throws Exception {
        CertificateFiles issued = TestCertificates.create(dir.resolve("pki"));
        AtomicReference<Consumer<CertificateAndKey>> sink = new AtomicReference<>();
        CertificateFeed feed = sink::set;
        ServeSettings settings = new ServeSettings(Optional.empty(), "127.0.0.1", 0, 0, Optional.empty(), Optional.empty(),
                dir.resolve("local"), Duration.ofMillis(100), Duration.ofSeconds(5));
        WebhookServer server = WebhookServer.start(settings,
                new ServeHooks(ServeHooks.none().view(), Map.of(), List.of(), List.of(), Optional.of(feed)), new PrometheusRegistry());
        try {
            WebhookClient client = new WebhookClient(TestCertificates.trustingOnly(issued), HttpClient.Version.HTTP_2, server.port());
            assertThat(sink.get()).as("subscribed at start").isNotNull();
            assertThat(health(server).statusCode()).isEqualTo(503);
            assertThat(health(server).body()).contains("[-]tls-certificate failed");
            assertThatThrownBy(() -> client.post("/validate", Fixtures.review("v1-create-clean"))).hasStackTraceContaining("SSL");
            assertThat(Files.exists(dir.resolve("local"))).as("no local certificate made").isFalse();

            CertificateAndKey first = issued.readServing();
            sink.get().accept(first);
            HttpResponse<String> answer = client.post("/validate", Fixtures.review("v1-create-clean"));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(peer(answer)).isEqualTo(first.certificate());
            assertThat(health(server).statusCode()).isEqualTo(200);

            CertificateAndKey second = issued.readAuthority().issueServing(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
            sink.get().accept(second);
            assertThat(peer(new WebhookClient(TestCertificates.trustingOnly(issued), HttpClient.Version.HTTP_1_1, server.port())
                    .post("/validate", Fixtures.review("v1-create-clean")))).isEqualTo(second.certificate());
        } finally {
            server.stop();
        }
    }

    private static HttpResponse<String> health(WebhookServer server) throws Exception {
        return HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.metricsPort() + "/readyz?verbose")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate peer(HttpResponse<String> response) throws Exception {
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }
}
