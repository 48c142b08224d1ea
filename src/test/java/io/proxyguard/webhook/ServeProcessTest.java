package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.tls.CertificateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static io.proxyguard.webhook.ServeProcesses.awaitMetric;
import static io.proxyguard.webhook.ServeProcesses.awaitReadyz;
import static io.proxyguard.webhook.ServeProcesses.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxyguard serve} as a real process: on SIGTERM it stops taking new work, lets the review in
 * flight finish and exits 0; with no certificate given it creates one for localhost under --certs-dir.
 */
@io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient(crud = true)
class ServeProcessTest {

    static io.fabric8.kubernetes.client.KubernetesClient cluster;

    private static final Pattern LISTENING = ServeProcesses.LISTENING;
    private static final Duration DEADLINE = ServeProcesses.DEADLINE;

    @TempDir
    Path dir;

    @Test
    void sigtermFinishesTheReviewInFlightAndExitsZero() throws Exception {
        // The default drain: the rest of the body arrives while /readyz fails, the answer closes the connection.
        Process process = ServeProcesses.serve("--certs-dir", dir.resolve("certs").toString(), "--shutdown-delay", "5s");
        try {
            int[] ports = ServeProcesses.awaitPorts(process);
            CertificateFiles certificates = new CertificateFiles(dir.resolve("certs"));
            byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
            int half = review.length / 2;
            try (SSLSocket socket = (SSLSocket) TestCertificates.trustingOnly(certificates).getSocketFactory()
                    .createSocket("127.0.0.1", ports[0])) {
                socket.setSoTimeout((int) DEADLINE.toMillis());
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new SNIHostName("localhost")));
                socket.setSSLParameters(parameters);
                OutputStream out = socket.getOutputStream();
                // A chunked HTTP/1.1 upload sent in two parts: the review is in flight until the second part.
                out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                writeChunk(out, review, 0, half);
                awaitMetric(ports[1], "proxyguard_admission_in_flight_requests{webhook=\"validate\"}", 1.0);

                process.destroy(); // SIGTERM
                awaitReadyz(ports[1], 503);
                writeChunk(out, review, half, review.length);
                writeChunk(out, review, 0, 0);
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(answer).startsWith("HTTP/1.1 200 OK");
                assertThat(answer).contains("\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\"").contains("\"allowed\":false");
            }
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("process exited").isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void withAKubeconfigReviewsSeeTheClusterAndReadinessWaitsForTheCaches() throws Exception {
        // The cluster holds an HTTP ServiceEntry for proxy 10.10.6.6:3128 (the PG101 mistake, made before ProxyGuard).
        new io.proxyguard.cluster.MockCluster(cluster).apply(io.proxyguard.engine.Fixtures.HTTP_PROXY_ENTRY_IN_SHOP);
        Path kubeconfig = io.proxyguard.cluster.MockCluster.writeKubeconfig(dir.resolve("kubeconfig"), cluster, "default");
        Process process = ServeProcesses.serve("--certs-dir", dir.resolve("certs").toString(), "--kubeconfig", kubeconfig.toString());
        try {
            int[] ports = ServeProcesses.awaitPorts(process);
            awaitReadyz(ports[1], 200);
            assertThat(get(ports[1], "/readyz?verbose").body()).contains("[+]cluster-view ok");

            ObjectNode deployment = (ObjectNode) WebhookClient.JSON.readTree("""
                    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"cart","namespace":"shop"},
                     "spec":{"template":{"spec":{"containers":[{"name":"cart","image":"cart",
                       "env":[{"name":"HTTPS_PROXY","value":"10.10.6.6:3128"},{"name":"NO_PROXY","value":".svc,.cluster.local"}]}]}}}}""");
            ObjectNode answer = new WebhookClient(TestCertificates.trustingOnly(new CertificateFiles(dir.resolve("certs"))),
                    HttpClient.Version.HTTP_2, ports[0]).review("/validate", Fixtures.createReviewOf(deployment));

            assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
            assertThat(answer.at("/response/warnings").toString()).contains("PG206").contains("shop/proxy");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void shutdownDelayKeepsAnsweringReviewsWhileNotReadyThenExitsZero() throws Exception {
        Process process = ServeProcesses.serve("--certs-dir", dir.resolve("certs").toString(), "--shutdown-delay", "3s");
        try {
            int[] ports = ServeProcesses.awaitPorts(process);
            WebhookClient client = new WebhookClient(TestCertificates.trustingOnly(new CertificateFiles(dir.resolve("certs"))),
                    HttpClient.Version.HTTP_1_1, ports[0]);

            process.destroy(); // SIGTERM
            awaitReadyz(ports[1], 503);
            ObjectNode answer = client.review("/validate", Fixtures.review("v1-create-http-proxy"));

            assertThat(answer.at("/response/allowed").asBoolean()).as("a review sent while draining is still judged").isFalse();
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aSecondSignalEndsTheDrainAtOnce() throws Exception {
        Process process = ServeProcesses.serve("--certs-dir", dir.resolve("certs").toString(), "--shutdown-delay", "120s");
        try {
            StringBuilder log = new StringBuilder();
            int[] ports = ServeProcesses.awaitPorts(process, log);

            process.toHandle().destroy(); // SIGTERM: draining for 120 s
            awaitReadyz(ports[1], 503);
            process.toHandle().destroy(); // and again

            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("stopped long before the 120 s drain").isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(log).contains("draining for 2m").contains("second signal received, stopping now");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void ctrlCStopsWithoutTheDrain() throws Exception {
        Process process = ServeProcesses.serve("--certs-dir", dir.resolve("certs").toString(), "--shutdown-delay", "120s");
        try {
            StringBuilder log = new StringBuilder();
            ServeProcesses.awaitPorts(process, log);
            // A job started in the background of a non-interactive shell inherits SIGINT ignored, and so would serve.
            org.junit.jupiter.api.Assumptions.assumeFalse(ignoresSigint(process.pid()),
                    "SIGINT is ignored in this environment (a background job): Ctrl-C cannot reach serve");

            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start();
            assertThat(kill.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("stopped without the 120 s drain").isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(log).contains("SIGINT received, stopping").doesNotContain("draining");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void withoutCertificateALocalOneIsCreatedAndReusedOnTheNextStart() throws Exception {
        Path certs = dir.resolve("local");
        String first = startAndStop(certs);
        String second = startAndStop(certs);

        assertThat(first).contains("created a local CA and a certificate for localhost").contains(certs.resolve("ca.crt").toString());
        assertThat(second).contains("using the local certificate in " + certs);
    }

    @Test
    void unusableConfigStopsStartupWithExitCode2() throws Exception {
        Process process = ServeProcesses.serve("--config", dir.resolve("missing.yaml").toString(), "--certs-dir", dir.resolve("certs").toString());

        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("proxyguard: cannot read config file").contains("missing.yaml");
    }

    @Test
    void aPortInUseEndsTheStartWithItsMessageWithoutWaitingForTheStopTimeout() throws Exception {
        try (java.net.ServerSocket metricsPortTaken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             java.net.ServerSocket free = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int webhookPort = free.getLocalPort();
            free.close();
            // Clients keep a connection to the webhook port busy from the moment it opens, as a load balancer's or the
            // API server's would: a graceful stop of that port would wait for them up to --shutdown-timeout (120 s here).
            List<java.net.Socket> busy = new CopyOnWriteArrayList<>();
            Thread clients = new Thread(() -> keepConnectionsBusy(webhookPort, busy));
            clients.setDaemon(true);
            clients.start();
            Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), "io.proxyguard.cli.Main", "serve", "--bind-address", "127.0.0.1",
                    "--port", String.valueOf(webhookPort), "--metrics-port", String.valueOf(metricsPortTaken.getLocalPort()),
                    "--certs-dir", dir.resolve("certs").toString(), "--shutdown-timeout", "120s").redirectErrorStream(true).start();
            try {
                CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));

                assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("exited within %s, not after the 120 s stop timeout", DEADLINE).isTrue();
                assertThat(process.exitValue()).as(output.join()).isEqualTo(2);
                assertThat(output.join()).contains("proxyguard: Port already in use").contains(String.valueOf(metricsPortTaken.getLocalPort()));
                assertThat(busy).as("the webhook port was open, with clients on it, before the start failed").isNotEmpty();
            } finally {
                process.destroyForcibly();
                clients.interrupt();
                for (java.net.Socket socket : busy) {
                    socket.close();
                }
            }
        }
    }

    /** True when the process ignores SIGINT (bit 2 of SigIgn in /proc/PID/status). */
    private static boolean ignoresSigint(long pid) throws IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .anyMatch(line -> (Long.parseLong(line.substring("SigIgn:".length()).trim(), 16) & 0x2) != 0);
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Connects to {@code port} over and over, and on each connection trickles a never-ending TLS record. */
    private static void keepConnectionsBusy(int port, List<java.net.Socket> connected) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
                connected.add(socket);
                socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00}); // a TLS record header announcing 16 KiB
            } catch (IOException notYetListening) {
                // the port is not open yet, or no longer
            }
            for (java.net.Socket socket : connected) {
                try {
                    socket.getOutputStream().write(0);
                } catch (IOException closed) {
                    // closed by the server
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void reviewLogLinesArriveWhileServingAndNoneIsLostAtExit() throws Exception {
        Process process = ServeProcesses.serve("--certs-dir", dir.resolve("certs").toString(), "--log-flush-frequency", "200ms");
        try {
            List<String> output = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .lines().forEach(output::add));
            reader.start();
            int port = awaitLine(output, LISTENING).map(m -> Integer.parseInt(m.group(1))).orElseThrow();
            WebhookClient client = new WebhookClient(TestCertificates.trustingOnly(new CertificateFiles(dir.resolve("certs"))),
                    HttpClient.Version.HTTP_2, port);
            ObjectNode review = Fixtures.review("v1-create-http-proxy");

            client.review("/validate", review);
            assertThat(awaitLine(output, Pattern.compile("admission review webhook=validate .*decision=denied"))).isPresent();
            for (int i = 0; i < 20; i++) {
                client.review("/validate", review);
            }
            // SIGTERM: the lines still in the buffer are written before the process ends. Through the handle, as
            // Process.destroy() would also close our end of the output pipe.
            process.toHandle().destroy();

            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            reader.join(DEADLINE.toMillis());
            assertThat(process.exitValue()).isZero();
            assertThat(output).as(String.join("\n", output)).filteredOn(l -> l.contains("admission review webhook=validate")).hasSize(21);
            int lastReview = output.stream().filter(l -> l.contains("admission review")).map(output::lastIndexOf).max(Integer::compare).orElseThrow();
            assertThat(output.subList(lastReview, output.size())).as("the SIGTERM message comes after the lines logged before it")
                    .anyMatch(l -> l.contains("SIGTERM received"));
            assertThat(output).as("logged while stopping, written at exit").anyMatch(l -> l.contains("admission webhook stopped"));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Waits (at most {@link #DEADLINE}) for a line of {@code output} that {@code pattern} finds. */
    private static Optional<MatchResult> awaitLine(List<String> output, Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return Optional.of(m.toMatchResult());
                }
            }
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    private String startAndStop(Path certs) throws Exception {
        Process process = ServeProcesses.serve("--certs-dir", certs.toString());
        try {
            StringBuilder log = new StringBuilder();
            ServeProcesses.awaitPorts(process, log);
            process.destroy();
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            return log.toString();
        } finally {
            process.destroyForcibly();
        }
    }

    private static void writeChunk(OutputStream out, byte[] data, int from, int to) throws IOException {
        out.write((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data, from, to - from);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
