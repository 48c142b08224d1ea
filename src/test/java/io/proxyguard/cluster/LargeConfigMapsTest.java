package io.proxyguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.proxy.ProxyEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.proxyguard.cluster.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ConfigMaps with large values (Grafana dashboards, 500 KB each) served by fabric8's mock API server: the view's
 * store keeps their proxy keys, and the keys workloads read into proxy variables, and drops the rest on arrival.
 */
@EnableKubernetesMockClient(crud = true)
class LargeConfigMapsTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final String DASHBOARD = "{\"panels\":[" + "{\"title\":\"requests\"},".repeat(25_000) + "{}]}"; // ~500 KB

    private final PolicyEngine engine = new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n"));
    private WatchedView watched;

    @BeforeEach
    void cleanCluster() {
        new MockCluster(client).deleteEverything();
    }

    @AfterEach
    void stop() {
        if (watched != null) {
            watched.close();
        }
    }

    private static void createConfigMap(String name, Map<String, String> data) {
        client.configMaps().inNamespace("monitoring").resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace("monitoring").addToLabels("grafana_dashboard", "1").endMetadata()
                .addToData(data).build()).create();
    }

    private List<String> keptKeys() {
        List<String> keys = new ArrayList<>();
        for (KubeObject configMap : watched.view().kept(WatchedResource.CONFIG_MAP)) {
            configMap.json().path("data").fieldNames().forEachRemaining(key -> keys.add(configMap.ref().name() + ":" + key));
            assertThat(configMap.json().path("metadata").has("labels")).isFalse();
        }
        return keys;
    }

    @Test
    void theStoreKeepsTheProxyKeysOfLargeConfigMapsAndNotTheRest() throws Exception {
        for (int i = 0; i < 5; i++) {
            createConfigMap("dashboard-" + i, Map.of("dashboard.json", DASHBOARD, "HTTPS_PROXY", "http://10.10.0.5:3128",
                    "no_proxy", ".svc,.cluster.local", "README", "large dashboards"));
        }

        watched = WatchedView.synced(client, engine);

        assertThat(keptKeys()).containsExactlyInAnyOrder(
                "dashboard-0:HTTPS_PROXY", "dashboard-0:no_proxy", "dashboard-1:HTTPS_PROXY", "dashboard-1:no_proxy",
                "dashboard-2:HTTPS_PROXY", "dashboard-2:no_proxy", "dashboard-3:HTTPS_PROXY", "dashboard-3:no_proxy",
                "dashboard-4:HTTPS_PROXY", "dashboard-4:no_proxy");
        assertThat(watched.view().configMapData("monitoring", "dashboard-3")).contains(
                Map.of("HTTPS_PROXY", "http://10.10.0.5:3128", "no_proxy", ".svc,.cluster.local"));
    }

    @Test
    void aKeyReadThroughConfigMapKeyRefByAWorkloadListedFirstIsKept() throws Exception {
        createConfigMap("egress", Map.of("dashboard.json", DASHBOARD, "proxy-url", "http://10.10.0.5:3128"));
        new MockCluster(client).apply(deploymentReading("egress", "proxy-url"));

        watched = WatchedView.synced(client, engine);

        assertThat(keptKeys()).containsExactly("egress:proxy-url");
        assertThat(watched.view().workloadProxies()).contains(new ProxyEndpoint("10.10.0.5", 3128));
    }

    @Test
    void aKeyDroppedBeforeAnyWorkloadReadItIsReadAgainWhenOneStartsTo() throws Exception {
        createConfigMap("egress", Map.of("dashboard.json", DASHBOARD, "proxy-url", "http://10.10.0.5:3128"));
        watched = WatchedView.synced(client, engine);
        assertThat(keptKeys()).as("no workload reads proxy-url yet").isEmpty();

        new MockCluster(client).apply(deploymentReading("egress", "proxy-url"));

        eventually(() -> keptKeys().equals(List.of("egress:proxy-url")));
        eventually(() -> watched.view().workloadProxies().contains(new ProxyEndpoint("10.10.0.5", 3128)));
        JsonNode kept = watched.view().kept(WatchedResource.CONFIG_MAP).iterator().next().json();
        assertThat(kept.path("data").has("dashboard.json")).isFalse();
    }

    /** A Deployment in namespace monitoring whose HTTPS_PROXY comes from {@code key} of ConfigMap {@code name}. */
    private static KubeObject deploymentReading(String name, String key) {
        return Fixtures.object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: exporter, namespace: monitoring}
                spec:
                  template:
                    spec:
                      containers:
                      - name: exporter
                        image: exporter
                        env:
                        - name: HTTPS_PROXY
                          valueFrom: {configMapKeyRef: {name: %s, key: %s}}
                """.formatted(name, key));
    }
}
