package io.proxyguard.audit;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.cluster.MockCluster;
import io.proxyguard.engine.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.proxyguard.cluster.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** A cluster without the PolicyReport CRDs: the audit keeps running, its findings in its metrics, without an error each time. */
@EnableKubernetesMockClient(crud = true)
class PolicyReportCrdAbsentTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeAll
    static void policyReportsAreNotServed() {
        server.expect().get().withPath("/apis/wgpolicyk8s.io/v1alpha2/policyreports?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dproxyguard&limit=" + PolicyReportWriter.REPORTS_PAGE)
                .andReturn(404, new StatusBuilder().withCode(404).withReason("NotFound")
                        .withMessage("the server could not find the requested resource").build())
                .always();
    }

    @Test
    void auditsGoOnAndReportTheirFindingsInMetricsWithoutErrors() throws Exception {
        MockCluster cluster = new MockCluster(client);
        cluster.apply(Fixtures.proxyEntry("shop", "proxy", "").replace("protocol: TCP", "protocol: HTTP"));
        try (AuditLab lab = new AuditLab(client, "replica-a")) {
            eventually(() -> lab.metric("proxyguard_audit_findings{rule=\"PG101\",severity=\"deny\"}") == 1);
            double firstRun = lab.metric("proxyguard_audit_last_run_timestamp_seconds");

            cluster.apply(Fixtures.proxyEntry("shop", "proxy", ""));
            eventually(() -> lab.metric("proxyguard_audit_last_run_timestamp_seconds") > firstRun
                    && lab.metric("proxyguard_audit_findings{rule=\"PG101\",severity=\"deny\"}") == 0);

            assertThat(lab.metric("proxyguard_audit_errors_total")).isZero();
            assertThat(AuditLab.reports(client, "shop")).isEmpty();
        }
    }

    @Test
    void theWriterSaysTheCrdsAreAbsentAndWritesNothing() {
        PolicyReportWriter writer = new PolicyReportWriter(client);

        for (int i = 0; i < 3; i++) {
            assertThat(writer.write(PolicyReports.of(new AuditResult(java.util.List.of()), java.time.Instant.now()), report -> { }))
                    .isEqualTo(new PolicyReportWriter.Outcome(false, 0, 0, 0, 0, 0));
        }
    }
}
