package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.cluster.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.proxyguard.certmanager.CertificateLab.FULLNAME;
import static io.proxyguard.certmanager.CertificateLab.NAMESPACE;
import static io.proxyguard.certmanager.CertificateLab.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxyguard serve} with the chart's self-managed arguments, as a real process against the mock API
 * server: it makes its Secret, patches the caBundle, answers over TLS to a client that trusts only that
 * caBundle, and gives up its Lease when stopped with SIGTERM, so the next replica leads within a second.
 */
@EnableKubernetesMockClient(crud = true)
class SelfManagedServeProcessTest {

    private static final Pattern LISTENING = Pattern.compile("listening on https://[^:]+:(\\d+)/mutate .* on http://[^:]+:(\\d+)");

    KubernetesMockServer server;
    KubernetesClient client;
    private Process process;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void serveWithTheChartsArgumentsManagesItsCertificateAndReleasesTheLeaseOnSigterm() throws Exception {
        CertificateLab lab = new CertificateLab(server, client);
        Path kubeconfig = MockCluster.writeKubeconfig(dir.resolve("kubeconfig"), client, "default");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"), "io.proxyguard.cli.Main", "serve",
                "--bind-address", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--cluster-view", "off", "--shutdown-delay", "0",
                "--kubeconfig", kubeconfig.toString(),
                "--certificates", "self-managed", "--cert-secret", CertificateLab.SECRET, "--service", FULLNAME,
                "--mutating-webhook-config", FULLNAME, "--validating-webhook-config", FULLNAME,
                "--leader-lease", FULLNAME + "-leader"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("POD_NAMESPACE", NAMESPACE);
        builder.environment().put("POD_NAME", "pg-proxyguard-0");
        process = builder.start();
        Ports ports = awaitPorts(process);
        int port = ports.webhook();

        eventually("Secret written and every caBundle patched", () -> lab.secret().isPresent()
                && lab.everyWebhookTrusts(lab.stored().trustBundle()));
        List<X509Certificate> caBundle = CertificateLab.decode(lab.validating().getWebhooks().get(0).getClientConfig().getCaBundle());
        WebhookOverTls.Answer answer = null;
        long deadline = System.nanoTime() + CertificateLab.DEADLINE.toNanos();
        while (answer == null) {
            try {
                answer = WebhookOverTls.post(port, FULLNAME + "." + NAMESPACE + ".svc", caBundle, "/validate", "{}");
            } catch (javax.net.ssl.SSLException notYetLoaded) {
                assertThat(System.nanoTime()).as("certificate in service within the deadline").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        assertThat(answer.status()).isEqualTo(400); // an empty review: the webhook answered, over TLS the API server would trust
        assertThat(answer.peer()).isEqualTo(lab.stored().serving().certificate());
        Lease held = client.leases().inNamespace(NAMESPACE).withName(FULLNAME + "-leader").get();
        assertThat(held.getSpec().getHolderIdentity()).startsWith("pg-proxyguard-0_");
        assertThat(metrics(ports.metrics())).as("the leader says so on /metrics")
                .contains("proxyguard_leader{role=\"certificates\"} 1.0");

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(CertificateLab.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        Lease released = client.leases().inNamespace(NAMESPACE).withName(FULLNAME + "-leader").get();
        // fabric8 releases by shortening the lease to one second (its merge patch cannot clear the holder).
        assertThat(released.getSpec().getLeaseDurationSeconds()).as("Lease released for the next replica").isEqualTo(1);
    }

    private static String metrics(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private record Ports(int webhook, int metrics) {
    }

    /** Reads the log until the webhook says where it listens, then keeps draining it in the background. */
    private static Ports awaitPorts(Process process) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            log.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> lines.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
        }
        throw new AssertionError("serve exited before listening:\n" + log);
    }
}
