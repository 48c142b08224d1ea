package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.proxyguard.audit.PolicyReportWriter;
import io.proxyguard.cluster.WatchedResource;
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
        cluster.genericKubernetesResources(WatchedResource.SERVICE_ENTRY_V1.context()).inAnyNamespace().delete();
        cluster.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inAnyNamespace().delete();
    }

    private static void anHttpProxyEntryInShop() {
        cluster.genericKubernetesResources(WatchedResource.SERVICE_ENTRY_V1.context()).inNamespace("shop")
                .resource(cluster.getKubernetesSerialization().unmarshal("""
                        apiVersion: networking.istio.io/v1
                        kind: ServiceEntry
                        metadata: {name: proxy, namespace: shop}
                        spec:
                          hosts: [my-company-proxy.com]
                          addresses: [10.10.6.6/32]
                          ports: [{number: 3128, name: http, protocol: HTTP}]
                          location: MESH_EXTERNAL
                        """, GenericKubernetesResource.class)).create();
    }

    @Test
    void anAuditOnlyProcessOpensNoWebhookPortAndWritesTheReports() throws Exception {
        anHttpProxyEntryInShop();
        Process process = ServeProcesses.serve("--operation", "audit", "--kubeconfig", ServeProcesses.kubeconfig(dir, cluster.getMasterUrl()).toString(),
                "--audit-interval", "1h", "--certs-dir", dir.resolve("certs").toString());
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
        anHttpProxyEntryInShop();
        Process process = ServeProcesses.serve("--operation", "webhook", "--kubeconfig", ServeProcesses.kubeconfig(dir, cluster.getMasterUrl()).toString(),
                "--audit-interval", "1s", "--certs-dir", dir.resolve("certs").toString());
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
