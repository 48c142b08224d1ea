package io.proxyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.cluster.MockCluster;
import io.proxyguard.engine.CrdSchema;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.manifest.SafeYaml;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.cluster.WatchedResource;
import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.manifest.ManifestDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proxyguard audit} against fabric8's mock API server in CRUD mode, through a real kubeconfig file. */
@EnableKubernetesMockClient(crud = true)
class AuditCommandTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @TempDir
    Path dir;
    private Path kubeconfig;

    @BeforeEach
    void loadExamplesIntoTheCluster() throws Exception {
        kubeconfig = MockCluster.writeKubeconfig(dir.resolve("kubeconfig"), client, "default");
        for (ManifestDocument document : new ManifestReader(InputStream.nullInputStream())
                .read(List.of("examples/clean", "examples/broken/pg101-http-protocol.yaml", "examples/broken/pg201-unknown-proxy.yaml"))) {
            document.objects().forEach(new MockCluster(client)::apply);
        }
    }

    @Test
    void reportsEveryObjectInTheClusterWithTheSameRulesAsValidate() throws Exception {
        CommandRun run = CommandRun.of("audit", "--kubeconfig", kubeconfig.toString(), "--config", "examples/proxyguard.yaml", "-o", "json");

        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("findings").findValuesAsText("rule")).containsExactlyInAnyOrder("PG101", "PG201");
        assertThat(report.get("findings").findValuesAsText("file")).containsOnly("cluster");
        assertThat(report.at("/summary/objects").asInt()).isEqualTo(19); // examples/clean's 17, one in each broken file
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void policyReportOutputIsOneValidReportPerNamespaceWithTheSameExitCode() throws Exception {
        CommandRun run = CommandRun.of("audit", "--kubeconfig", kubeconfig.toString(), "--config", "examples/proxyguard.yaml", "-o", "policyreport");

        List<JsonNode> reports = SafeYaml.readAll(run.out(), "stdout");
        assertThat(reports).allSatisfy(report -> assertThat(CrdSchema.acceptedAsWhole(report)).isNotNull());
        assertThat(reports).extracting(report -> report.at("/metadata/namespace").asText()).doesNotHaveDuplicates().contains("pg101", "pg201");
        JsonNode pg101 = reports.stream().filter(report -> report.at("/metadata/namespace").asText().equals("pg101")).findFirst().orElseThrow();
        assertThat(pg101.at("/results/0/result").asText()).isEqualTo("fail");
        assertThat(pg101.at("/results/0/policy").asText()).isEqualTo("PG101");
        assertThat(pg101.at("/results/0/source").asText()).isEqualTo("proxyguard");
        assertThat(pg101.at("/summary/fail").asInt()).isEqualTo(1);
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void validateRefusesPolicyReportOutput() {
        CommandRun run = CommandRun.of("validate", "-o", "policyreport", "-f", "examples/clean");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("-o policyreport is an output of proxyguard audit");
    }

    @Test
    void namespaceScopeAndTextFormat() {
        CommandRun run = CommandRun.of("audit", "--kubeconfig", kubeconfig.toString(), "--config", "examples/proxyguard.yaml", "-n", "pg201");

        assertThat(run.out()).startsWith("cluster: Deployment pg201/billing: PG201 warn ");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void aNamespacesWorkloadsAreJudgedWithTheMeshAroundItEvenWithNamespaceScope() {
        MockCluster cluster = new MockCluster(client);
        List<KubeObject> mesh = List.of(
                Fixtures.object("apiVersion: v1\nkind: Namespace\nmetadata: {name: pg201, labels: {istio-injection: enabled}}"),
                Fixtures.object("apiVersion: v1\nkind: Namespace\nmetadata: {name: outside, labels: {istio-injection: disabled}}"),
                Fixtures.object("""
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: istio, namespace: istio-system}
                        data: {mesh: "outboundTrafficPolicy: {mode: REGISTRY_ONLY}"}
                        """),
                Fixtures.object("""
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: billing, namespace: outside}
                        spec:
                          template:
                            spec:
                              containers: [{name: c, image: i, env: [{name: HTTPS_PROXY, value: "10.20.0.9:3128"}, {name: NO_PROXY, value: ".svc,.cluster.local"}]}]
                        """));
        mesh.forEach(cluster::apply);
        try {
            CommandRun inMesh = CommandRun.of("audit", "--kubeconfig", kubeconfig.toString(), "--config", "examples/proxyguard.yaml", "-n", "pg201");
            CommandRun outside = CommandRun.of("audit", "--kubeconfig", kubeconfig.toString(), "--config", "examples/proxyguard.yaml", "-n", "outside");

            assertThat(inMesh.out()).startsWith("cluster: Deployment pg201/billing: PG201 warn ").contains("under REGISTRY_ONLY (mesh config)");
            assertThat(outside.out()).doesNotContain("PG201");
        } finally {
            mesh.forEach(cluster::delete);
        }
    }

    @Test
    void podsOwnedByAControllerAreJudgedThroughTheirOwner() {
        GenericKubernetesResource pod = client.getKubernetesSerialization().unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: billing-abc
                  namespace: pg201
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: billing-1, uid: u1, controller: true}]
                spec:
                  containers: [{name: c, image: i, env: [{name: HTTPS_PROXY, value: "10.20.0.9:3128"}]}]
                """, GenericKubernetesResource.class);
        client.genericKubernetesResources(WatchedResource.POD.context()).inNamespace("pg201").resource(pod).create();

        CommandRun run = CommandRun.of("audit", "--kubeconfig", kubeconfig.toString(), "-n", "pg201", "-o", "json");

        assertThat(run.out()).doesNotContain("billing-abc");
    }

    @Test
    void unreachableClusterIsExitTwo() throws Exception {
        Path nowhere = dir.resolve("nowhere");
        Files.writeString(nowhere, Files.readString(kubeconfig).replace(client.getMasterUrl().toString(), "https://127.0.0.1:1/"));

        CommandRun run = CommandRun.of("audit", "--kubeconfig", nowhere.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("proxyguard: cannot read the cluster");
    }
}
