package io.proxyguard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar finding {@code helm} and {@code kubectl} on {@code PATH}, as CI runs it: with them, charts and
 * kustomizations are rendered; without them, each is skipped with one note and the exit code is left to the findings.
 */
class ValidateRenderIT {

    private static final String FIXTURES = "src/test/resources/validate";
    private static final byte[] NO_STDIN = new byte[0];

    @Test
    void withoutHelmOrKubectlOnThePathEachChartAndKustomizationIsSkippedWithOneNote(@TempDir Path emptyBin) throws Exception {
        JarProcess run = JarProcess.run(Map.of("PATH", emptyBin.toString()), NO_STDIN, "validate",
                "-f", FIXTURES + "/charts", "-f", FIXTURES + "/kustomize", "--config", "examples/proxyguard.yaml");

        assertThat(run.out().lines()).containsExactly(
                FIXTURES + "/charts/proxy-chart/Chart.yaml: skipped: a Helm chart, not rendered: helm is not on PATH (install it, "
                        + "or give its path with --helm); nothing in it was checked",
                FIXTURES + "/kustomize/overlays/http-proxy/kustomization.yaml: skipped: a kustomization, not rendered: kubectl is "
                        + "not on PATH (install it, or give its path with --kubectl); nothing in it was checked",
                FIXTURES + "/charts/plain/app-entry.yaml:2: ServiceEntry plain/plain-proxy: PG102 warn spec.addresses[0]: address "
                        + "10.10.0.6 has no prefix length; write 10.10.0.6/32 to name exactly the proxy",
                "1 objects checked: 0 deny, 1 warn, 0 errors, 2 skipped, 1 fixed");
        assertThat(run.exitCode()).as("a skipped chart is a note, not an input error").isZero();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void helmAndKubectlOnThePathRenderTheChartAndTheOverlay() throws Exception {
        JarProcess run = JarProcess.run(Map.of("PATH", InstalledTools.BIN.toAbsolutePath().toString()), NO_STDIN, "validate",
                "-f", FIXTURES + "/charts/proxy-chart", "-f", FIXTURES + "/kustomize", "--config", "examples/proxyguard.yaml",
                "-o", "sarif");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("\"uri\" : \"" + FIXTURES + "/charts/proxy-chart/templates/proxy-entry.yaml\"")
                .contains("\"uri\" : \"" + FIXTURES + "/kustomize/overlays/http-proxy/kustomization.yaml\"")
                .contains("\"executionSuccessful\" : true");
    }
}
