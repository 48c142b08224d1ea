package io.proxyguard.webhook;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a real TLS client outside the JVM sees (OpenSSL's s_client, curl): TLS 1.2 and 1.3 accepted, TLS 1.0
 * and 1.1 refused even when the client is willing, TLS 1.2 only with forward-secret AEAD suites, plaintext
 * HTTP on the port answered by nothing, HTTP/2 negotiated by ALPN, the certificate verified against
 * the CA from {@code proxyguard certs}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsProtocolTest {

    private RunningWebhook webhook;

    @BeforeAll
    void startServer(@TempDir Path certificates) throws Exception {
        assumeTrue(commandExists("openssl"), "openssl is installed by .ci/install-deps");
        webhook = RunningWebhook.start(certificates, Optional.empty());
    }

    @AfterAll
    void stopServer() {
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void tls13IsAcceptedAndVerifiedAgainstTheCa() throws Exception {
        String out = sClient("-tls1_3");

        assertThat(out).contains("New, TLSv1.3, Cipher is").contains("Verify return code: 0 (ok)");
    }

    @Test
    void tls12IsAccepted() throws Exception {
        String out = sClient("-tls1_2");

        assertThat(out).contains("New, TLSv1.2, Cipher is").contains("Verify return code: 0 (ok)");
    }

    @Test
    void tls11IsRefusedEvenWhenTheClientAllowsIt() throws Exception {
        // SECLEVEL=0 lets OpenSSL itself offer TLS 1.1, so a refusal can only come from the server.
        String out = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");

        assertThat(out).contains("alert protocol version").contains("New, (NONE), Cipher is (NONE)")
                .contains("no peer certificate available");
    }

    @Test
    void tls10IsRefusedEvenWhenTheClientAllowsIt() throws Exception {
        String out = sClient("-tls1", "-cipher", "DEFAULT@SECLEVEL=0");

        assertThat(out).contains("New, (NONE), Cipher is (NONE)").contains("no peer certificate available");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-SHA256"})
    void tls12SuitesWithoutForwardSecrecyOrAeadAreRefused(String suite) throws Exception {
        String out = sClient("-tls1_2", "-cipher", suite + "@SECLEVEL=0");

        assertThat(out).contains("New, (NONE), Cipher is (NONE)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"})
    void tls12ForwardSecretAeadSuitesAreAccepted(String suite) throws Exception {
        assertThat(sClient("-tls1_2", "-cipher", suite)).contains("New, TLSv1.2, Cipher is " + suite);
    }

    @Test
    void curlReviewsOverTls12AndTls13() throws Exception {
        Path review = Path.of("src/test/resources/admission/v1-create-http-proxy.json");
        for (List<String> versions : List.of(List.of("--tlsv1.2", "--tls-max", "1.2"), List.of("--tlsv1.3"))) {
            List<String> command = new ArrayList<>(List.of("curl", "-sS", "--cacert", webhook.certificates.caCert().toString(),
                    "-H", "Content-Type: application/json", "--data-binary", "@" + review, "-w", "\n%{http_code} %{ssl_verify_result}"));
            command.addAll(versions);
            command.add("https://localhost:" + webhook.server.port() + "/validate");
            String out = run(command);

            assertThat(out).contains("\"allowed\":false").endsWith("200 0");
        }
    }

    @Test
    void plaintextHttpOnTheWebhookPortGetsNoAnswer() throws Exception {
        String out = run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                "--data-binary", "{}", "--max-time", "20", "http://127.0.0.1:" + webhook.server.port() + "/validate"));

        // Jetty answers the non-TLS bytes with a TLS alert and closes: curl sees no HTTP answer at all
        assertThat(out).endsWith("000").containsAnyOf("HTTP/0.9", "Empty reply", "reset", "Recv failure")
                .doesNotContain("AdmissionReview").doesNotContain("Status");
    }

    @Test
    void alpnNegotiatesHttp2AndHttp11() throws Exception {
        assertThat(sClient("-alpn", "h2,http/1.1")).contains("ALPN protocol: h2");
        assertThat(sClient("-alpn", "http/1.1")).contains("ALPN protocol: http/1.1");
    }

    private String sClient(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + webhook.server.port(),
                "-servername", "localhost", "-CAfile", webhook.certificates.caCert().toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS).execute(process::destroyForcibly);
        StringBuilder out = new StringBuilder();
        // s_client quits when its stdin closes, so stdin stays open until the handshake summary is printed.
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.append(line).append('\n');
                if (line.contains("Verify return code")) {
                    process.getOutputStream().close();
                }
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        return out.toString();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS).execute(process::destroyForcibly);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static boolean commandExists(String name) {
        try {
            Process process = new ProcessBuilder(name, "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
