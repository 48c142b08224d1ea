package io.proxyguard.cluster;

import io.proxyguard.config.ConfigLoader;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.offline.OfflineValidator;
import io.proxyguard.report.Located;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook judges with the same engine as {@code validate}, against its live view instead of the input's:
 * given the same objects, both must find the same, PG107's workload evidence included.
 */
class OfflineAndLiveViewsAgreeTest {

    @Test
    void theLiveViewJudgesEveryObjectAsTheOfflineValidatorDoes() throws Exception {
        PolicyEngine engine = new PolicyEngine(ConfigLoader.load(Path.of("examples/proxyguard.yaml")));
        List<ManifestDocument> documents = new ManifestReader(InputStream.nullInputStream()).read(List.of("examples/clean",
                "examples/broken/pg107-proxied-payments.yaml", "examples/broken/pg107-redundant-wikipedia.yaml"));
        List<KubeObject> objects = documents.stream().flatMap(d -> d.objects().stream()).toList();
        List<Finding> offline = new OfflineValidator(engine).validate(documents).report().findings().stream()
                .map(Located::finding).toList();

        ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor();
        try {
            LiveClusterView live = new LiveClusterView(engine.detector(), rebuilder, 10);
            objects.forEach(live::upsert);
            live.rebuildNow();
            List<Finding> served = new ArrayList<>();
            for (KubeObject object : objects) {
                served.addAll(engine.judge(object, live).findings());
            }

            assertThat(served).usingRecursiveFieldByFieldElementComparatorIgnoringFields("fix")
                    .containsExactlyInAnyOrderElementsOf(offline);
            assertThat(served).extracting(f -> f.resource().namespacedName() + " " + f.ruleId())
                    .containsExactlyInAnyOrder("pg107-shop/payments PG107", "pg107/wikipedia PG107");
            assertThat(served).extracting(Finding::message).anySatisfy(message -> assertThat(message)
                    .contains("by the only workload that can see this entry, pg107-shop/checkout"));
        } finally {
            rebuilder.shutdownNow();
        }
    }
}
