package io.proxyguard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.cluster.MockCluster;
import io.proxyguard.engine.CrdSchema;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.model.KubeObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.proxyguard.cluster.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background audit against fabric8's CRUD mock API server (which serves the PolicyReport kind): reports follow
 * the cluster, one replica writes, other tools' reports stay as they are.
 */
@EnableKubernetesMockClient(crud = true)
class BackgroundAuditTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private final List<AutoCloseable> replicas = new ArrayList<>();

    private static final String HTTP_PROXY_ENTRY = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: proxy, namespace: shop}
            spec:
              hosts: [second-proxy.example]
              addresses: [10.10.1.1/32]
              ports: [{number: 3128, name: proxy, protocol: %s}]
              location: MESH_EXTERNAL
              resolution: NONE
            """;

    private static final String KYVERNO_REPORT = """
            apiVersion: wgpolicyk8s.io/v1alpha2
            kind: PolicyReport
            metadata:
              name: polr-ns-shop
              namespace: shop
              labels: {app.kubernetes.io/managed-by: kyverno}
            results:
            - {source: kyverno, policy: require-labels, result: fail, message: label app is required}
            summary: {fail: 1}
            """;

    @AfterEach
    void stopAndEmpty() throws Exception {
        for (AutoCloseable replica : replicas) {
            replica.close();
        }
        new MockCluster(client).deleteEverything();
        client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inAnyNamespace().delete();
    }

    private AuditLab replica(String identity) {
        AuditLab lab = new AuditLab(client, identity);
        replicas.add(lab);
        return lab;
    }

    private static Optional<GenericKubernetesResource> ours(String namespace) {
        return AuditLab.reports(client, namespace).stream().filter(r -> r.getMetadata().getName().equals("proxyguard")).findFirst();
    }

    private static JsonNode json(GenericKubernetesResource report) {
        return client.getKubernetesSerialization().convertValue(report, JsonNode.class);
    }

    private static List<String> results(String namespace, String name) {
        return ours(namespace).map(report -> {
            List<String> found = new ArrayList<>();
            for (JsonNode result : json(report).path("results")) {
                if (result.path("resources").path(0).path("name").asText().equals(name)) {
                    found.add(result.path("result").asText() + " " + result.path("policy").asText());
                }
            }
            return found;
        }).orElse(List.of());
    }

    @Test
    void aBrokenEntryGetsAResultWhichGoesWhenFixedAndTheEntryGoesWhenDeleted() throws Exception {
        MockCluster cluster = new MockCluster(client);
        client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inNamespace("shop")
                .resource(client.getKubernetesSerialization().unmarshal(KYVERNO_REPORT, GenericKubernetesResource.class)).create();
        cluster.apply(Fixtures.proxyEntry("shop", "fine", ""));
        AuditLab lab = replica("replica-a");

        KubeObject broken = Fixtures.object(HTTP_PROXY_ENTRY.formatted("HTTP"));
        cluster.apply(broken);
        eventually(() -> results("shop", "proxy").contains("fail PG101"));
        JsonNode report = json(ours("shop").orElseThrow());
        assertThat(CrdSchema.acceptedAsWhole(report)).isNotNull();
        assertThat(report.at("/summary/fail").asInt()).isEqualTo(1);
        assertThat(report.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("proxyguard");
        assertThat(results("shop", "fine")).containsExactly("pass proxyguard");
        assertThat(lab.metric("proxyguard_audit_findings{rule=\"PG101\",severity=\"deny\"}")).isEqualTo(1);
        assertThat(lab.metric("proxyguard_audit_objects{kind=\"ServiceEntry\"}")).isEqualTo(2);
        assertThat(lab.metric("proxyguard_audit_leader")).isEqualTo(1);
        String uid = ours("shop").orElseThrow().getMetadata().getUid();

        cluster.apply(Fixtures.object(HTTP_PROXY_ENTRY.formatted("TCP")));
        eventually(() -> results("shop", "proxy").equals(List.of("pass proxyguard")));
        assertThat(ours("shop").orElseThrow().getMetadata().getUid()).as("updated in place, not recreated").isEqualTo(uid);
        eventually(() -> lab.metric("proxyguard_audit_findings{rule=\"PG101\",severity=\"deny\"}") == 0);

        cluster.delete(broken);
        eventually(() -> results("shop", "proxy").isEmpty() && !results("shop", "fine").isEmpty());
        assertThat(ours("shop").orElseThrow().getMetadata().getUid()).isEqualTo(uid);

        assertThat(AuditLab.reports(client, "shop")).filteredOn(r -> r.getMetadata().getName().equals("polr-ns-shop"))
                .singleElement().satisfies(kyverno -> assertThat(json(kyverno).at("/results/0/source").asText()).isEqualTo("kyverno"));
        assertThat(lab.metric("proxyguard_audit_errors_total")).isZero();
        assertThat(lab.metric("proxyguard_audit_last_run_timestamp_seconds")).isPositive();
    }

    @Test
    void aNamespaceLeftWithNothingToJudgeKeepsAnEmptyReport() throws Exception {
        MockCluster cluster = new MockCluster(client);
        KubeObject entry = Fixtures.object(Fixtures.proxyEntry("gone", "proxy", ""));
        cluster.apply(entry);
        replica("replica-a");
        eventually(() -> ours("gone").isPresent());

        cluster.delete(entry);

        eventually(() -> ours("gone").map(report -> json(report).path("results").isEmpty()).orElse(false));
        assertThat(json(ours("gone").orElseThrow()).at("/summary/pass").asInt()).isZero();
    }

    @Test
    void ofTwoReplicasOnlyTheLeaderAuditsAndWritesAndTheOtherTakesOverWhenItStops() throws Exception {
        new MockCluster(client).apply(Fixtures.object(HTTP_PROXY_ENTRY.formatted("HTTP")));
        AuditLab a = replica("replica-a");
        AuditLab b = replica("replica-b");

        eventually(() -> ours("shop").isPresent());
        eventually(() -> a.metric("proxyguard_audit_leader") + b.metric("proxyguard_audit_leader") == 1);
        AuditLab leader = a.audit.isLeading() ? a : b;
        AuditLab other = leader == a ? b : a;
        new MockCluster(client).apply(Fixtures.object(Fixtures.proxyEntry("shop", "second", "")));
        eventually(() -> !results("shop", "second").isEmpty());
        assertThat(other.audit.isLeading()).isFalse();
        assertThat(other.metric("proxyguard_audit_last_run_timestamp_seconds")).as("the other replica never audited").isZero();
        assertThat(other.metric("proxyguard_audit_findings{rule=\"PG101\",severity=\"deny\"}")).isZero();

        leader.close();
        replicas.remove(leader);

        eventually(other.audit::isLeading);
        eventually(() -> other.metric("proxyguard_audit_last_run_timestamp_seconds") > 0);
        assertThat(results("shop", "proxy")).contains("fail PG101");
    }

    @Test
    void aLeaderWhoseViewSyncsLateAuditsRightAfterTheSyncNotAtTheNextChangeOrInterval() throws Exception {
        new MockCluster(client).apply(Fixtures.object(HTTP_PROXY_ENTRY.formatted("HTTP")));
        java.util.concurrent.atomic.AtomicBoolean synced = new java.util.concurrent.atomic.AtomicBoolean();
        // A change delay and an interval of an hour: only the wait for the sync can bring the first run within the test.
        AuditLab lab = new AuditLab(client, "replica-a", Duration.ofHours(1), synced::get);
        replicas.add(lab);
        eventually(lab.audit::isLeading);
        assertThat(ours("shop")).as("nothing judged against a view that has not synced").isEmpty();

        synced.set(true);

        eventually(() -> results("shop", "proxy").contains("fail PG101"));
    }

    @Test
    void theLeaderMakesItsDeploymentTheOwnerOfTheAuditLeaseSoThatUninstallDeletesIt() throws Exception {
        io.fabric8.kubernetes.api.model.apps.Deployment deployment = client.apps().deployments().inNamespace(AuditLab.NAMESPACE)
                .resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName(AuditLab.DEPLOYMENT)
                        .endMetadata().build()).create();
        try {
            replica("replica-a");

            eventually(() -> {
                var lease = client.leases().inNamespace(AuditLab.NAMESPACE).withName(AuditSettings.DEFAULT_LEASE).get();
                return lease != null && lease.getMetadata().getOwnerReferences().stream()
                        .anyMatch(owner -> owner.getUid().equals(deployment.getMetadata().getUid()) && owner.getKind().equals("Deployment"));
            });
        } finally {
            client.apps().deployments().inNamespace(AuditLab.NAMESPACE).withName(AuditLab.DEPLOYMENT).delete();
        }
    }
}
