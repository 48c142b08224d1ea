package io.proxyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.cluster.WatchedResource;
import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.engine.model.KubeObject;
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
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: c, context: {cluster: mock, user: u, namespace: default}}]
                current-context: c
                """.formatted(client.getMasterUrl()));
        for (ManifestDocument document : new ManifestReader(InputStream.nullInputStream())
                .read(List.of("examples/clean", "examples/broken/pg101-http-protocol.yaml", "examples/broken/pg201-unknown-proxy.yaml"))) {
            for (KubeObject object : document.objects()) {
                create(object);
            }
        }
    }

    /** Stores the object as an API server would: every ServiceEntry version is served as v1 too. */
    private static void create(KubeObject object) {
        WatchedResource resource = java.util.Arrays.stream(WatchedResource.values())
                .filter(r -> r.kind().equals(object.kind()) && r.apiVersion().equals(object.ref().apiVersion()))
                .filter(r -> !r.kind().equals("ServiceEntry"))
                .findFirst()
                .orElse(WatchedResource.SERVICE_ENTRY_V1);
        GenericKubernetesResource item = client.getKubernetesSerialization().convertValue(object.json(), GenericKubernetesResource.class);
        item.setApiVersion(resource.apiVersion());
        client.genericKubernetesResources(resource.context()).inNamespace(object.ref().namespace()).resource(item).createOr(r -> r.update());
    }

    @Test
    void reportsEveryObjectInTheClusterWithTheSameRulesAsValidate() throws Exception {
        CommandRun run = CommandRun.of("audit", "--kubeconfig", kubeconfig.toString(), "--config", "examples/proxyguard.yaml", "-o", "json");

        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("findings").findValuesAsText("rule")).containsExactlyInAnyOrder("PG101", "PG201");
        assertThat(report.get("findings").findValuesAsText("file")).containsOnly("cluster");
        assertThat(report.at("/summary/objects").asInt()).isEqualTo(9); // examples/clean's 7, one in each broken file
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void namespaceScopeAndTextFormat() {
        CommandRun run = CommandRun.of("audit", "--kubeconfig", kubeconfig.toString(), "--config", "examples/proxyguard.yaml", "-n", "pg201");

        assertThat(run.out()).startsWith("cluster: Deployment pg201/billing: PG201 warn ");
        assertThat(run.exitCode()).isZero();
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
