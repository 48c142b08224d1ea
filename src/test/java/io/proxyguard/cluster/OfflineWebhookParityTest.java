package io.proxyguard.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.manifest.InputResult;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.offline.OfflineValidator;
import io.proxyguard.report.Located;
import io.proxyguard.report.ValidationReport;
import io.proxyguard.engine.view.ClusterView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Offline and webhook give the same findings on the same objects: {@code validate} judges each document against
 * the others; the webhook judges the same object against its informer-fed view of a cluster that holds those
 * documents (trimmed as the view keeps them, ServiceEntries and Sidecars served as v1).
 */
@EnableKubernetesMockClient(crud = true)
class OfflineWebhookParityTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    /**
     * The examples with the mesh around them; and the broken examples alone, where no clean guide entry covers
     * 10.10.0.5 for every namespace, so the HTTP listener traps (PG109, PG208) show.
     */
    static Stream<Arguments> inputs() {
        return Stream.of(
                Arguments.of(List.of("examples/broken", "examples/clean", "src/test/resources/cluster/mesh-around-examples.yaml"),
                        List.of("PG101", "PG110", "PG111", "PG201", "PG206", "PG207")),
                Arguments.of(List.of("examples/broken"), List.of("PG109", "PG110", "PG111", "PG201", "PG206", "PG207", "PG208", "PG209")));
    }

    @BeforeEach
    void emptyCluster() {
        new MockCluster(client).deleteEverything();
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void theWebhookFindsWhatValidateFinds(List<String> paths, List<String> crossObjectRules) throws Exception {
        PolicyEngine engine = new PolicyEngine(ConfigLoader.load(Path.of("examples/proxyguard.yaml")));
        List<ManifestDocument> documents = new ManifestReader(InputStream.nullInputStream()).read(paths);
        List<KubeObject> objects = documents.stream().flatMap(d -> d.objects().stream()).toList();
        objects.forEach(new MockCluster(client)::apply);

        ValidationReport offline = new OfflineValidator(engine).validate(List.of(InputResult.read("parity", documents))).report();
        List<Finding> webhook = new ArrayList<>();
        try (WatchedView watched = WatchedView.synced(client, engine)) {
            assertThat(watched.view().size()).isEqualTo(objects.size());
            for (KubeObject object : objects) {
                webhook.addAll(engine.evaluate(object, watched.view()).findings());
            }
        }

        assertThat(offline.errors()).isEmpty();
        assertThat(webhook).isEqualTo(offline.findings().stream().map(Located::finding).toList());
        assertThat(webhook).extracting(Finding::ruleId).as("the cross-object decisions are among those compared")
                .containsAll(crossObjectRules);
    }

    @Test
    void aProxyEntryKnownOnlyFromTheWorkloadThatUsesItIsOneInTheWebhookToo() throws Exception {
        PolicyEngine engine = new PolicyEngine(ConfigLoader.load(Path.of("examples/proxyguard.yaml")));
        List<KubeObject> objects = new ManifestReader(InputStream.nullInputStream())
                .read(List.of("src/test/resources/cluster/mesh-around-examples.yaml")).stream()
                .flatMap(d -> d.objects().stream()).toList();
        objects.forEach(new MockCluster(client)::apply);
        KubeObject learnedEntry = objects.stream().filter(o -> o.ref().name().equals("learned-proxy")).findFirst().orElseThrow();

        assertThat(engine.evaluate(learnedEntry, ClusterView.EMPTY).findings()).as("alone: an external host the proxy reaches")
                .extracting(Finding::ruleId).containsExactly("PG107");
        try (WatchedView watched = WatchedView.synced(client, engine)) {
            assertThat(engine.evaluate(learnedEntry, watched.view()).findings()).extracting(Finding::ruleId).containsExactly("PG101");
        }
    }
}
