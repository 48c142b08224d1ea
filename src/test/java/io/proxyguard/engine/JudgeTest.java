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

    static List<KubeObject> brokenCheckedExamples() throws ManifestException {
        return FixesTest.brokenExamples().stream().filter(PolicyEngine::isChecked).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCheckedExamples")
    void judgeReportsEveryBrokenExample(KubeObject example) throws Exception {
        ClusterView view = IndexedClusterView.of(examples(), engine.detector());

        assertThat(engine.judge(example, view).findings()).isNotEmpty();
    }
}
