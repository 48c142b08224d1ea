package io.proxyguard.webhook;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.tls.TlsMaterialException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code serve --client-ca}: the webhook answers only clients that present a certificate signed by that CA
 * (the API server, configured with a kubeconfig for the webhook). Certificates are made with the openssl
 * command line, as an operator would, and the client is curl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertificateTest {

    private Path dir;
    private RunningWebhook webhook;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        assumeTrue(run(List.of("openssl", "version")).exitCode == 0, "openssl is installed by .ci/install-deps");
        makeClient("apiserver", "client-ca");
        makeClient("intruder", "other-ca");
        webhook = RunningWebhook.start(dir.resolve("serving"), Optional.empty(), ServeSettings.DEFAULT_IDLE_TIMEOUT,
                ServeSettings.DEFAULT_MAX_CONCURRENT_REVIEWS, Optional.of(dir.resolve("client-ca.crt")));
    }

    @AfterAll
    void stop() {
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void aClientCertificateFromTheClientCaIsServed() throws Exception {
        Result result = curl("--cert", dir.resolve("apiserver.crt").toString(), "--key", dir.resolve("apiserver.key").toString());

        assertThat(result.exitCode).isZero();
        assertThat(result.out).contains("\"allowed\":false").endsWith("200");
    }

    @Test
    void noClientCertificateIsRefusedInTheHandshake() throws Exception {
        Result result = curl();

        assertThat(result.exitCode).isNotZero();
        assertThat(result.out).doesNotContain("AdmissionReview").doesNotContain("allowed");
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        Result result = curl("--cert", dir.resolve("intruder.crt").toString(), "--key", dir.resolve("intruder.key").toString());

        assertThat(result.exitCode).isNotZero();
        assertThat(result.out).doesNotContain("allowed");
    }

    @Test
    void anUnreadableClientCaStopsStartup() {
        ServeSettings settings = new ServeSettings(Optional.empty(), "127.0.0.1", 0, 0,
                Optional.of(webhook.certificates.tlsCert()), Optional.of(webhook.certificates.tlsKey()), dir.resolve("unused"),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), ServeSettings.DEFAULT_IDLE_TIMEOUT, 4,
                Optional.of(dir.resolve("missing-ca.crt")));

        assertThatThrownBy(() -> WebhookServer.start(settings, ServeHooks.withView(() -> io.proxyguard.engine.view.ClusterView.EMPTY),
                new PrometheusRegistry())).isInstanceOf(TlsMaterialException.class).hasMessageContaining("--client-ca")
                .hasMessageContaining("missing-ca.crt");
    }

    private Result curl(String... clientOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", webhook.certificates.caCert().toString(),
                "-H", "Content-Type: application/json", "--data-binary", "@src/test/resources/admission/v1-create-http-proxy.json",
                "-w", "\\n%{http_code}"));
        command.addAll(List.of(clientOptions));
        command.add("https://localhost:" + webhook.server.port() + "/validate");
        return run(command);
    }

    /** A CA named {@code ca} (created once) and a client certificate {@code name} signed by it, for clientAuth. */
    private void makeClient(String name, String ca) throws Exception {
        Path caCert = dir.resolve(ca + ".crt");
        Path caKey = dir.resolve(ca + ".key");
        check(run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "1", "-subj", "/CN=" + ca,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")));
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        check(run(List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name)));
        Path extensions = dir.resolve(name + ".ext");
        Files.writeString(extensions, "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n");
        check(run(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "1", "-extfile", extensions.toString(), "-out", dir.resolve(name + ".crt").toString())));
    }

    private static void check(Result result) {
        assertThat(result.exitCode).as(result.out).isZero();
    }

    private record Result(int exitCode, String out) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out);
    }
}
