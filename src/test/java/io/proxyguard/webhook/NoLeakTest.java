package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.tls.CertificateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets and object contents stay out of everything ProxyGuard writes: a real {@code proxyguard serve}
 * process (log level info, so every review line is written) judges objects that carry proxy credentials and
 * marker values, malformed bodies that carry them (a parser message quoting the bad token would leak it), and the test searches the process's whole log output,
 * the answers' warnings and error messages, and {@code /metrics}. Metric label values must come from small
 * fixed sets: no namespace, name, user or uid.
 */
class NoLeakTest {

    private static final String PASSWORD = "Pw4LeakCheck9x";
    private static final String MARKER = "objectContentMarker7q";
    private static final Pattern LISTENING = Pattern.compile("listening on https://[^:]+:(\\d+)/mutate .* on http://[^:]+:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void credentialsAndObjectContentsAppearInNoLogAnswerOrMetric() throws Exception {
        Path logFile = dir.resolve("serve.log");
        Process process = serve(logFile);
        try {
            int[] ports = awaitPorts(process, logFile);
            WebhookClient client = new WebhookClient(TestCertificates.trustingOnly(new CertificateFiles(dir.resolve("certs"))),
                    HttpClient.Version.HTTP_2, ports[0]);
            List<String> answers = new ArrayList<>();
            for (String path : List.of("/validate", "/mutate")) {
                answers.add(client.post(path, Fixtures.createReviewOf(deploymentWithSecrets())).body());
                answers.add(client.post(path, Fixtures.createReviewOf(serviceEntryWithSecrets())).body());
                answers.add(client.post(path, Fixtures.createReviewOf(unreadableServiceEntry())).body());
                for (String body : malformedBodies()) {
                    answers.add(client.send(client.request(path).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build()).body());
                }
            }
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1] + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertThat(String.join("\n", answers)).contains("PG203").doesNotContain(PASSWORD);
            assertThat(metrics).doesNotContain(PASSWORD).doesNotContain(MARKER).doesNotContain("leakns").doesNotContain("leaky-name")
                    .doesNotContain("mallory").doesNotContain("705ab4f5");
            assertLabelValuesBounded(metrics);

            process.destroy(); // SIGTERM: the log is complete once the process has exited
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(logFile);
            assertThat(log).contains("admission review webhook=validate").contains("admission request rejected");
            assertThat(log).doesNotContain(PASSWORD).doesNotContain(MARKER);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Every label value in the scrape belongs to a small fixed vocabulary. */
    private static void assertLabelValuesBounded(String metrics) {
        Pattern label = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        for (String line : metrics.lines().filter(l -> l.startsWith("proxyguard_")).toList()) {
            Matcher m = label.matcher(line);
            while (m.find()) {
                String value = m.group(2);
                switch (m.group(1)) {
                    case "webhook" -> assertThat(value).isIn("mutate", "validate");
                    case "kind" -> assertThat(value).isIn("ServiceEntry", "other", "unknown");
                    case "operation" -> assertThat(value).isIn("CREATE", "UPDATE", "DELETE", "CONNECT", "unknown");
                    case "outcome" -> assertThat(value).isIn("allowed", "warned", "patched", "denied", "skipped", "unreadable", "bad_request", "error");
                    case "rule" -> assertThat(value).matches("PG\\d{3}");
                    case "severity" -> assertThat(value).isIn("deny", "warn");
                    case "result" -> assertThat(value).isIn("success", "failure");
                    case "le" -> assertThat(value).matches("[0-9.eE+-]+|\\+Inf");
                    default -> throw new AssertionError("a label with no fixed vocabulary in " + line);
                }
            }
        }
    }

    private static ObjectNode deploymentWithSecrets() {
        ObjectNode deployment = HostileReviews.deploymentWithProxyVariables();
        deployment.with("metadata").put("namespace", "leakns").put("name", "leaky-name")
                .putObject("annotations").put("note", MARKER);
        ArrayNode env = (ArrayNode) deployment.at("/spec/template/spec/containers/0/env");
        env.addObject().put("name", "HTTPS_PROXY").put("value", "http://mallory:" + PASSWORD + "@10.10.0.5:3128");
        env.addObject().put("name", "DATABASE_PASSWORD").put("value", MARKER);
        return deployment;
    }

    private static ObjectNode serviceEntryWithSecrets() {
        ObjectNode entry = Fixtures.example("broken/pg101-http-protocol.yaml");
        entry.with("metadata").put("namespace", "leakns").put("name", "leaky-name").putObject("labels").put("secret", MARKER);
        entry.with("spec").put("futureField", MARKER + PASSWORD);
        return entry;
    }

    private static ObjectNode unreadableServiceEntry() {
        ObjectNode entry = Fixtures.example("broken/pg101-http-protocol.yaml");
        entry.with("spec").put("ports", MARKER + PASSWORD);
        return entry;
    }

    /** Bodies whose first bad token is a secret: a parser error message that quotes it would leak it. */
    private static List<String> malformedBodies() {
        return List.of("{\"kind\": " + PASSWORD + "}", PASSWORD, "{\"" + MARKER + "\": 1, \"" + MARKER + "\": 2}",
                "{\"apiVersion\":\"http://mallory:" + PASSWORD + "@x\",\"kind\":\"AdmissionReview\"}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"mallory:"
                        + PASSWORD + "\"}}");
    }

    private Process serve(Path logFile) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", System.getProperty("java.class.path"),
                "io.proxyguard.cli.Main", "serve", "--bind-address", "127.0.0.1", "--port", "0", "--metrics-port", "0",
                "--config", Fixtures.exampleConfig().toString(), "--certs-dir", dir.resolve("certs").toString(), "--shutdown-delay", "0")
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    /** Waits for the log line that names the ports. */
    private static int[] awaitPorts(Process process, Path logFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher m = LISTENING.matcher(Files.readString(logFile));
            if (m.find()) {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not start listening:\n" + Files.readString(logFile));
    }
}
