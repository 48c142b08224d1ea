package io.proxyguard.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.KubeObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.proxyguard.cluster.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The informer-backed view against fabric8's mock API server in CRUD mode: the API's changes reach decisions. */
@EnableKubernetesMockClient(crud = true)
class ClusterWatchTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private final PolicyEngine engine = new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n"));
    private final ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor();
    private final LiveClusterView view = new LiveClusterView(engine.detector(), rebuilder, 10);
    private ClusterWatch watch;

    private final KubeObject deployment = WorkloadUsingProxy.of("10.10.0.5:3128");

    @BeforeEach
    void cleanCluster() {
        client.genericKubernetesResources(WatchedResource.SERVICE_ENTRY_V1.context()).inAnyNamespace().delete();
    }

    @AfterEach
    void stop() {
        if (watch != null) {
            watch.close();
        }
        rebuilder.shutdownNow();
    }

    private void apply(KubeObject object) {
        new MockCluster(client).apply(object);
    }

    private List<String> rulesFor(KubeObject object) throws Exception {
        return engine.evaluate(object, view).findings().stream().map(Finding::ruleId).toList();
    }

    @Test
    void readinessWaitsForSyncAndChangesInTheApiReachDecisions() throws Exception {
        apply(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()));
        watch = new ClusterWatch(client, view);
        assertThat(watch.hasSynced()).isFalse();

        watch.start();
        eventually(watch::hasSynced);
        assertThat(view.proxyEntries()).extracting(e -> e.ref().name()).containsExactly("proxy");
        assertThat(rulesFor(deployment)).isEmpty();
        KubeObject kept = view.serviceEntries().get(0);
        assertThat(kept.json().path("spec")).as("the audit judges the entry as kept: spec whole")
                .isEqualTo(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()).json().path("spec"));
        assertThat(engine.judge(kept, view).findings()).isEmpty();

        apply(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec().replace("protocol: TCP", "protocol: HTTP")));
        eventually(() -> sneaky(() -> rulesFor(deployment)).equals(List.of("PG206")));

        client.genericKubernetesResources(WatchedResource.SERVICE_ENTRY_V1.context()).inNamespace("test").withName("proxy").delete();
        eventually(() -> sneaky(() -> rulesFor(deployment)).equals(List.of("PG201")));
        assertThat(view.proxyEntries()).isEmpty();
    }

    @Test
    void configMapsReferencedByWorkloadsAreResolvedFromTheCache() throws Exception {
        client.configMaps().inNamespace("test").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("proxy-env").withNamespace("test").endMetadata()
                .addToData("HTTPS_PROXY", "http://user:pw@10.10.0.5:3128").addToData("NO_PROXY", ".svc,.cluster.local").build()).create();
        watch = new ClusterWatch(client, view).start();
        eventually(watch::hasSynced);

        KubeObject user = Fixtures.object("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: test}
                spec:
                  containers: [{name: c, image: i, envFrom: [{configMapRef: {name: proxy-env}}]}]
                """);

        assertThat(rulesFor(user)).containsExactlyInAnyOrder("PG201", "PG203");
    }

    private static <T> T sneaky(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Deployment that sends its traffic through {@code proxy}, with a complete NO_PROXY. */
    static final class WorkloadUsingProxy {
        static KubeObject of(String proxy) {
            return Fixtures.object("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: app, namespace: test}
                    spec:
                      template:
                        spec:
                          containers:
                          - name: app
                            image: app
                            env: [{name: HTTPS_PROXY, value: "%s"}, {name: NO_PROXY, value: ".svc,.cluster.local"}]
                    """.formatted(proxy));
        }
    }
}
