package io.proxyguard.chart;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.proxyguard.audit.PolicyReportWriter;
import io.proxyguard.cluster.MockCluster;
import io.proxyguard.engine.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit pod as the chart renders it, run for real: its container's arguments and JVM options, its ConfigMap's
 * config.yaml and the namespace and name the downward API gives it, against fabric8's CRUD mock API server. Only
 * what a pod has and a test process has not is swapped: the config's mount path for a file, port 8080 for a free
 * one on loopback, the service account for a kubeconfig. It must start, lead the Lease the chart names, write the
 * PolicyReport and stop cleanly on SIGTERM.
 */
@EnableKubernetesMockClient(crud = true)
class AuditPodProcessTest {

    private static final String POD_NAME = "pg-proxyguard-audit-7d9f8-x2x4q";
    private static final String CONFIG_MOUNT = "/etc/proxyguard/config/config.yaml";

    static KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void theAuditPodAsRenderedStartsLeadsItsLeaseAndWritesTheReports() throws Exception {
        RenderedChart chart = Helm.installed().render();
        Container container = chart.auditPod().getContainers().get(0);
        Path config = Files.writeString(dir.resolve("config.yaml"),
                chart.get(ConfigMap.class, "pg-proxyguard-config").getData().get("config.yaml"));
        new MockCluster(client).apply(Fixtures.HTTP_PROXY_ENTRY_IN_SHOP);

        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "io.proxyguard.cli.Main"));
        command.addAll(asATestProcess(container.getArgs(), config));
        command.addAll(List.of("--bind-address", "127.0.0.1",
                "--kubeconfig", MockCluster.writeKubeconfig(dir.resolve("kubeconfig"), client, "default").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_TOOL_OPTIONS", env(container, "JAVA_TOOL_OPTIONS"));
        builder.environment().put("POD_NAMESPACE", Helm.NAMESPACE);
        builder.environment().put("POD_NAME", POD_NAME);
        Process process = builder.start();
        StringBuffer log = new StringBuffer();
        Thread reader = drain(process, log);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (process.isAlive() && System.nanoTime() < deadline
                    && client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inNamespace("shop").withName("proxyguard").get() == null) {
                Thread.sleep(100);
            }
            assertThat(process.isAlive()).as("the audit pod's process runs:%n%s", log).isTrue();
            GenericKubernetesResource report = client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inNamespace("shop")
                    .withName("proxyguard").get();
            assertThat(client.getKubernetesSerialization().convertValue(report, JsonNode.class).at("/results").findValuesAsText("policy"))
                    .contains("PG101");
            Lease lease = client.leases().inNamespace(Helm.NAMESPACE).withName("pg-proxyguard-audit").get();
            assertThat(lease.getSpec().getHolderIdentity()).as("the pod, by the name the downward API gives it").startsWith(POD_NAME);

            process.toHandle().destroy(); // SIGTERM, as the kubelet sends it
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(Duration.ofSeconds(10).toMillis());
            assertThat(process.exitValue()).as(log.toString()).isZero();
            assertThat(log).contains("no webhook port").doesNotContain("admission webhook listening");
        } finally {
            process.destroyForcibly();
        }
    }

    /** The container's arguments with the config's mount path replaced by {@code config} and the metrics port by 0. */
    private static List<String> asATestProcess(List<String> args, Path config) {
        List<String> replaced = new ArrayList<>(args);
        assertThat(replaced).contains(CONFIG_MOUNT).containsSubsequence("--metrics-port", "8080");
        replaced.replaceAll(arg -> arg.equals(CONFIG_MOUNT) ? config.toString() : arg);
        replaced.set(replaced.indexOf("--metrics-port") + 1, "0");
        return replaced;
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("the audit container has no " + name));
    }

    private static Thread drain(Process process, StringBuffer log) {
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(line -> log.append(line).append('\n')));
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
