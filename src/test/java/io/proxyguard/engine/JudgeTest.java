package io.proxyguard.engine;

import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.ManifestReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PolicyEngine#judge}, what /validate uses: the same findings as evaluate, without fixes or patch. */
class JudgeTest {

    private final PolicyEngine engine = new PolicyEngine(Fixtures.exampleConfig());

    static List<KubeObject> examples() throws ManifestException {
        return new ManifestReader(InputStream.nullInputStream()).read(List.of("examples/broken", "examples/clean")).stream()
                .flatMap(d -> d.objects().stream()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void judgeFindsWhatEvaluateFindsAndFixesNothing(KubeObject example) throws Exception {
        ClusterView view = IndexedClusterView.of(examples(), engine.detector());

        Decision judged = engine.judge(example, view);
        Decision evaluated = engine.evaluate(example, view);

        assertThat(judged.findings()).isEqualTo(evaluated.findings());
        assertThat(judged.appliedFixes()).isEmpty();
        assertThat(judged.isPatched()).isFalse();
        assertThat(judged.fixed()).isSameAs(example.json());
    }

    /** Guards the test above against passing on nothing: judged as a cluster of their own, every broken file has findings. */
    @org.junit.jupiter.api.Test
    void judgeReportsSomethingInEveryBrokenExampleFile() throws Exception {
        List<io.proxyguard.manifest.ManifestDocument> documents = new ManifestReader(InputStream.nullInputStream()).read(List.of("examples/broken"));
        List<KubeObject> broken = documents.stream().flatMap(d -> d.objects().stream()).toList();
        ClusterView view = IndexedClusterView.of(broken, engine.detector());
        java.util.Map<String, Integer> findingsByFile = new java.util.TreeMap<>();
        for (io.proxyguard.manifest.ManifestDocument document : documents) {
            for (KubeObject object : document.objects()) {
                findingsByFile.merge(document.source(), engine.judge(object, view).findings().size(), Integer::sum);
            }
        }
        assertThat(findingsByFile).hasSizeGreaterThanOrEqualTo(20).allSatisfy((file, count) -> assertThat(count).as(file).isPositive());
    }
}
