package io.proxyguard.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.proxyguard.cluster.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What decides each pod's sidecar and what it sees lives in the cluster: Namespace labels, Sidecar resources, the
 * mesh ConfigMap. Changed in the API, they change the webhook's next decision, without a restart.
 */
@EnableKubernetesMockClient(crud = true)
class MeshChangesTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private MockCluster cluster;
    private WatchedView watched;

    /** Sends traffic through 10.10.7.8:3128 from namespace shop. */
    private final KubeObject shop = deployment("shop", "10.10.7.8:3128");

    private static KubeObject deployment(String namespace, String proxy) {
        return Fixtures.object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app, namespace: %s}
                spec:
                  template:
                    metadata: {labels: {app: app}}
                    spec:
                      containers:
                      - name: app
                        image: app
                        env: [{name: HTTPS_PROXY, value: "http://%s"}, {name: NO_PROXY, value: ".svc,.cluster.local"}]
                """.formatted(namespace, proxy));
    }

    private static String namespace(String name, String labels) {
        return "apiVersion: v1\nkind: Namespace\nmetadata: {name: %s, labels: {%s}}\n".formatted(name, labels);
    }

    private static String meshConfig(String namespace, String name, String mode) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s, namespace: %s}
                data:
                  mesh: |
                    outboundTrafficPolicy:
                      mode: %s
                """.formatted(name, namespace, mode);
    }

    @BeforeEach
    void emptyCluster() {
        cluster = new MockCluster(client);
        cluster.deleteEverything();
    }

    @AfterEach
    void stop() {
        if (watched != null) {
            watched.close();
        }
    }

    private void watch(String config) throws InterruptedException {
        watched = WatchedView.synced(client, new PolicyEngine(Fixtures.config(config)));
    }

    private List<Finding> findings(KubeObject object) {
        try {
            return new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n")).evaluate(object, watched.view()).findings();
        } catch (InvalidObjectException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> rules(KubeObject object) {
        return findings(object).stream().map(Finding::ruleId).toList();
    }

    private String messageOf(String rule, KubeObject object) {
        return findings(object).stream().filter(f -> f.ruleId().equals(rule)).map(Finding::message).findFirst().orElse("");
    }

    @Test
    void aNamespaceRelabelledOutOfTheMeshTakesItsWorkloadsOutOfPG201() throws Exception {
        cluster.apply(namespace("shop", "istio-injection: enabled"));
        watch("proxyPorts: [3128]\n");
        assertThat(rules(shop)).containsExactly("PG201");

        cluster.apply(namespace("shop", "istio-injection: disabled"));

        eventually(() -> rules(shop).isEmpty());
    }

    @Test
    void aSidecarCreatedHidesTheProxyEntryFromItsNamespace() throws Exception {
        cluster.apply(namespace("shop", "istio-injection: enabled"));
        cluster.apply("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: proxy, namespace: egress}
                spec:
                  hosts: [proxy-8.corp.example]
                  addresses: [10.10.7.8/32]
                  ports: [{number: 3128, name: tcp, protocol: TCP}]
                  location: MESH_EXTERNAL
                  resolution: NONE
                """);
        watch("proxyPorts: [3128]\n");
        assertThat(rules(shop)).isEmpty();

        cluster.apply("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  egress:
                  - hosts: [./*, istio-system/*]
                """);

        eventually(() -> rules(shop).equals(List.of("PG207")));
        assertThat(messageOf("PG207", shop)).contains("egress/proxy", "Sidecar shop/default");
    }

    @Test
    void theMeshConfigMapChangesThePolicyPG201Names() throws Exception {
        cluster.apply(namespace("shop", "istio-injection: enabled"));
        cluster.apply(meshConfig("istio-system", "istio", "ALLOW_ANY"));
        watch("proxyPorts: [3128]\n");
        assertThat(messageOf("PG201", shop)).contains("under ALLOW_ANY (mesh config) calls pass unnamed");

        cluster.apply(meshConfig("istio-system", "istio", "REGISTRY_ONLY"));

        eventually(() -> messageOf("PG201", shop).contains("under REGISTRY_ONLY (mesh config) calls are dropped"));
    }

    @Test
    void aRevisionsMeshConfigIsReadFromTheConfiguredIstioNamespace() throws Exception {
        cluster.apply(namespace("shop", "istio.io/rev: canary"));
        cluster.apply(meshConfig("istio-control", "istio-canary", "REGISTRY_ONLY"));
        cluster.apply(meshConfig("istio-system", "istio-canary", "ALLOW_ANY"));

        watch("proxyPorts: [3128]\nmesh: {istioNamespace: istio-control}\n");

        assertThat(messageOf("PG201", shop)).contains("under REGISTRY_ONLY (mesh config)");
        assertThat(watched.view().mesh().settings("canary").outboundPolicy().name()).isEqualTo("REGISTRY_ONLY");
    }

    @Test
    void aMeshSettingIstioCannotReadIsLoggedOnceWhenItAppears() throws Exception {
        cluster.apply(namespace("shop", "istio-injection: enabled"));
        watch("proxyPorts: [3128]\n");
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            cluster.apply(meshConfig("istio-system", "istio", "registry_only"));
            eventually(() -> !watched.view().mesh().problems().isEmpty());
            cluster.apply(namespace("web", "istio-injection: enabled")); // another rebuild, the same problem
            eventually(() -> watched.view().mesh().namespace("web").isPresent());
        } finally {
            System.setErr(original);
        }

        String warning = "mesh config: ConfigMap istio-system/istio data.mesh: outboundTrafficPolicy.mode: 'registry_only' is "
                + "neither ALLOW_ANY nor REGISTRY_ONLY; Istio's default is used";
        assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8).lines().filter(line -> line.contains(warning))).hasSize(1);
    }
}
