package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.proxyguard.audit.PolicyReportWriter;
import io.proxyguard.cluster.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.proxyguard.webhook.ServeProcesses.DEADLINE;
import static io.proxyguard.webhook.ServeProcesses.awaitMetric;
import static io.proxyguard.webhook.ServeProcesses.awaitReadyz;
import static io.proxyguard.webhook.ServeProcesses.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve --operation}: the audit and the webhook in processes of their own (the chart's two Deployments),
 * as real processes against fabric8's CRUD mock API server, which serves the PolicyReport kind.
 */
@EnableKubernetesMockClient(crud = true)
class ServeOperationsTest {

    static KubernetesClient cluster;

    @TempDir
    Path dir;

    @AfterEach
    void empty() {
        new MockCluster(cluster).deleteEverything();
        cluster.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inAnyNamespace().delete();
    }

    /** {@code serve --operation OPERATION} on a cluster that holds an HTTP proxy entry (a PG101 finding). */
    private Process serveBesideABrokenEntry(String operation, String auditInterval) throws java.io.IOException {
        new MockCluster(cluster).apply(io.proxyguard.engine.Fixtures.HTTP_PROXY_ENTRY_IN_SHOP);
        return ServeProcesses.serve("--operation", operation, "--kubeconfig",
                MockCluster.writeKubeconfig(dir.resolve("kubeconfig"), cluster, "default").toString(),
                "--audit-interval", auditInterval, "--certs-dir", dir.resolve("certs").toString());
    }

    @Test
    void anAuditOnlyProcessOpensNoWebhookPortAndWritesTheReports() throws Exception {
        Process process = serveBesideABrokenEntry("audit", "1h");
        try {
            StringBuilder log = new StringBuilder();
            int metricsPort = ServeProcesses.awaitMetricsPort(process, log);

            awaitReadyz(metricsPort, 200);
            awaitMetric(metricsPort, "proxyguard_audit_findings{rule=\"PG101\",severity=\"deny\"}", 1.0);
            assertThat(get(metricsPort, "/readyz").body()).contains("[+]cluster-view ok").contains("[+]config ok")
                    .as("no certificate to wait for").doesNotContain("tls-certificate");
            assertThat(get(metricsPort, "/metrics").body()).contains("proxyguard_audit_leader 1.0");
            JsonNode report = cluster.getKubernetesSerialization().convertValue(cluster.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS)
                    .inNamespace("shop").withName("proxyguard").get(), JsonNode.class);
            assertThat(report.at("/results").findValuesAsText("policy")).contains("PG101");
            assertThat(dir.resolve("certs")).as("no local certificate made for a port it does not open").doesNotExist();
            assertThat(log).doesNotContain("admission webhook listening");

            process.toHandle().destroy(); // SIGTERM
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aWebhookOnlyProcessNeverAudits() throws Exception {
        Process process = serveBesideABrokenEntry("webhook", "1s");
        try {
            int[] ports = ServeProcesses.awaitPorts(process);
            awaitReadyz(ports[1], 200);

            // The audit registers its metrics when it starts, whether or not it has run yet.
            assertThat(get(ports[1], "/metrics").body()).contains("proxyguard_tls_certificate_expiry_timestamp_seconds").doesNotContain("proxyguard_audit_");
            assertThat(cluster.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inAnyNamespace().list().getItems()).isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }
}
