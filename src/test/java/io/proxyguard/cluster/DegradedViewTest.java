package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.webhook.Readiness;
import io.proxyguard.webhook.ReadinessCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.proxyguard.cluster.MockCluster.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster view that never syncs (the API server refuses to list ConfigMaps, as without RBAC): after its wait the
 * webhook is ready anyway, answers with the stateless rules, and says it is degraded in /readyz and the metric.
 */
@EnableKubernetesMockClient(crud = true)
class DegradedViewTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private final PolicyEngine engine = new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n"));
    private final ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor();
    private final LiveClusterView view = new LiveClusterView(engine.detector(), rebuilder, 10);
    private ClusterWatch watch;

    @BeforeAll
    static void configMapsCannotBeListed() {
        server.expect().get().withPath("/api/v1/configmaps?limit=" + ClusterWatch.CONFIG_MAP_PAGE_SIZE)
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("configmaps is forbidden: User \"system:serviceaccount:proxyguard:proxyguard\" cannot list resource").build())
                .always();
    }

    @AfterEach
    void stop() {
        if (watch != null) {
            watch.close();
        }
        rebuilder.shutdownNow();
    }

    @Test
    void aViewThatNeverSyncsLetsTheStatelessRulesAnswerAndSaysSo() throws Exception {
        new MockCluster(client).apply(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()));
        watch = new ClusterWatch(client, view, Duration.ofMillis(300));
        PrometheusRegistry registry = new PrometheusRegistry();
        ClusterViewMetrics.register(watch, registry);
        Readiness readiness = new Readiness().check("cluster-view", ReadinessCheck.of(watch::isReady, watch::readinessDetail));

        watch.start();
        eventually(readiness::isReady);

        assertThat(watch.hasSynced()).isFalse();
        assertThat(readiness.report()).contains("[+]cluster-view ok: degraded, stateless rules only until listed: configmaps");
        assertThat(scrape(registry)).contains("proxyguard_cluster_view_synced{resource=\"configmaps\"} 0")
                .contains("proxyguard_cluster_view_synced{resource=\"serviceentries\"} 1")
                .contains("proxyguard_cluster_view_synced{resource=\"deployments\"} 1");

        KubeObject httpProxyEntry = Fixtures.serviceEntry("v1", "other-proxy", "",
                Fixtures.guideSpec().replace("protocol: TCP", "protocol: HTTP"));
        List<String> degraded = rules(httpProxyEntry, view);
        assertThat(degraded).as("the stateless rules answer, as with no cluster view at all")
                .isNotEmpty().isEqualTo(rules(httpProxyEntry, ClusterView.EMPTY));
        assertThat(view.proxyEntries()).as("the cluster's entries are not seen until every list is done").isEmpty();
    }

    @Test
    void beforeItsWaitIsOverTheWebhookIsNotReadyAndSaysWhatItWaitsFor() {
        watch = new ClusterWatch(client, view, Duration.ofHours(1));
        Readiness readiness = new Readiness().check("cluster-view", ReadinessCheck.of(watch::isReady, watch::readinessDetail));

        watch.start();

        assertThat(readiness.isReady()).isFalse();
        assertThat(readiness.report()).startsWith("[-]cluster-view failed: waiting for the first list of: ").contains("configmaps");
    }

    private List<String> rules(KubeObject object, ClusterView in) throws Exception {
        return engine.evaluate(object, in).findings().stream().map(Finding::ruleId).toList();
    }

    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
