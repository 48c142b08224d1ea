package io.proxyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxyguard.manifest.SafeYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Helm charts and kustomizations in {@code validate}, rendered by the real {@code helm} and {@code kubectl} from
 * {@code tools/bin} ({@code src/test/resources/validate}): findings at the template Helm names, a failed render at the
 * template and line of Helm's error, a kustomize overlay that breaks its base's good entry.
 */
class ValidateRenderTest {

    private static final String CONFIG = "examples/proxyguard.yaml";
    private static final String FIXTURES = "src/test/resources/validate";
    private static final String CHART = FIXTURES + "/charts/proxy-chart";
    private static final String PG101 = "PG101 deny spec.ports[0].protocol: port 3128 is HTTP: Envoy's HTTP router answers CONNECT "
            + "with 404; set protocol: TCP";
    private static final String PLAIN_PG102 = FIXTURES + "/charts/plain/app-entry.yaml:2: ServiceEntry plain/plain-proxy: PG102 warn "
            + "spec.addresses[0]: address 10.10.0.6 has no prefix length; write 10.10.0.6/32 to name exactly the proxy";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aChartIsRenderedByHelmAndItsFindingIsAtTheTemplateNotInTheChartsFiles() throws Exception {
        CommandRun run = validate("-f", FIXTURES + "/charts");

        assertThat(run.out().lines()).containsExactly(
                PLAIN_PG102,
                CHART + "/templates/proxy-entry.yaml: ServiceEntry default/release-name-proxy: " + PG101,
                "3 objects checked: 1 deny, 1 warn, 0 errors, 1 fixed");
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode finding = JSON.readTree(validate("-f", CHART, "-o", "json").out()).at("/findings/0");
        assertThat(finding.get("file").asText()).isEqualTo(CHART + "/templates/proxy-entry.yaml");
        assertThat(finding.get("line").asInt()).as("a rendered object has no line in its template").isZero();
    }

    @Test
    void releaseNamespaceAndValuesFilesReachHelm() {
        CommandRun named = validate("-f", CHART, "--helm-release", "edge", "--helm-namespace", "egress");
        assertThat(named.out()).startsWith(CHART + "/templates/proxy-entry.yaml: ServiceEntry egress/edge-proxy: PG101 deny");

        CommandRun tcp = validate("-f", CHART, "--helm-values", FIXTURES + "/helm-values/tcp.yaml");
        assertThat(tcp.out()).isEqualTo("2 objects checked: 0 deny, 0 warn, 0 errors\n");
        assertThat(tcp.exitCode()).isZero();
    }

    @Test
    void aChartThatDoesNotRenderIsAnErrorAtTheTemplateAndLineHelmNamesAndTheRestIsStillChecked() {
        CommandRun run = validate("-f", FIXTURES + "/broken-chart", "-f", FIXTURES + "/charts/plain");

        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith(FIXTURES + "/broken-chart/templates/entry.yaml:4:18: error: helm template failed (exit 1): ")
                .contains("<.Values.proxy.name>: nil pointer");
        assertThat(lines.subList(1, lines.size())).containsExactly(PLAIN_PG102, "1 objects checked: 0 deny, 1 warn, 1 errors, 1 fixed");
        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void aKustomizeOverlayThatPatchesAGoodEntryIntoABrokenOneIsFoundAtTheOverlay() {
        CommandRun run = validate("-f", FIXTURES + "/kustomize");

        assertThat(run.out().lines()).as("the base is rendered inside its overlay, not beside it").containsExactly(
                FIXTURES + "/kustomize/overlays/http-proxy/kustomization.yaml: ServiceEntry team-a/corp-proxy: " + PG101,
                "1 objects checked: 1 deny, 0 warn, 0 errors");
        assertThat(run.exitCode()).isEqualTo(1);
        CommandRun base = validate("-f", FIXTURES + "/kustomize/base");
        assertThat(base.out()).isEqualTo("1 objects checked: 0 deny, 0 warn, 0 errors\n");
    }

    @Test
    void fixWritesThePlainFilesAndNamesTheChartItCannotWrite() throws Exception {
        CommandRun run = validate("-f", FIXTURES + "/charts", "--fix");

        assertThat(run.out()).startsWith("---\n").contains("- 10.10.0.6/32\n")
                .endsWith("# proxyguard --fix: not written: " + CHART + "/Chart.yaml: rendered by helm template: fix its sources, "
                        + "this output is not what anyone wrote\n");
        assertThat(SafeYaml.readAll(run.out(), "stdout")).extracting(d -> d.at("/metadata/name").asText()).containsExactly("plain-proxy");
        assertThat(run.err()).contains("proxy-entry.yaml: ServiceEntry default/release-name-proxy: PG101 deny");
    }

    @Test
    void aRenderThatRunsPastTheTimeLimitIsStoppedAndIsAnInputError(@TempDir Path dir) throws Exception {
        Path stuck = dir.resolve("helm");
        Files.writeString(stuck, "#!/bin/sh\necho 'rendering slowly' >&2\nsleep 60\n");
        Files.setPosixFilePermissions(stuck, PosixFilePermissions.fromString("rwxr-xr-x"));
        long started = System.nanoTime();

        CommandRun run = CommandRun.of("validate", "-f", CHART, "--helm", stuck.toString(), "--render-timeout", "500ms");

        assertThat(run.out()).startsWith(CHART + "/Chart.yaml: error: helm template did not finish within 500ms (--render-timeout): "
                + "rendering slowly\n");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(System.nanoTime() - started).as("stopped at the limit, not after the tool's 60 s").isLessThan(20_000_000_000L);
    }

    @Test
    void aToolOrValuesFileGivenButMissingIsAUsageError() {
        CommandRun helm = CommandRun.of("validate", "-f", CHART, "--helm", "no/such/helm");
        assertThat(helm.exitCode()).isEqualTo(2);
        assertThat(helm.err()).isEqualTo("proxyguard: helm was given as no/such/helm, which is not an executable file\n");

        CommandRun values = CommandRun.of("validate", "-f", CHART, "--helm", InstalledTools.helm(), "--helm-values", "no-values.yaml");
        assertThat(values.exitCode()).isEqualTo(2);
        assertThat(values.err()).isEqualTo("proxyguard: --helm-values no-values.yaml: no such file\n");
        assertThat(values.out()).isEmpty();
    }

    private static CommandRun validate(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("validate", "--config", CONFIG,
                "--helm", InstalledTools.helm(), "--kubectl", InstalledTools.kubectl()));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }
}
