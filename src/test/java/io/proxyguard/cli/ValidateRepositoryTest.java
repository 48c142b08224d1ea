package io.proxyguard.cli;

import com.contrastsecurity.sarif.Notification;
import com.contrastsecurity.sarif.ReportingDescriptor;
import com.contrastsecurity.sarif.Result;
import com.contrastsecurity.sarif.SarifSchema210;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxyguard.manifest.SafeYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxyguard validate} over a directory as real repositories hold them: a broken proxy entry next to a file
 * with a YAML error, a CI workflow, flow-style YAML, a JSON settings file, a Helm template outside a chart and a
 * template that is not in a templates directory ({@code src/test/resources/validate/mixed}). Every file is judged on
 * its own and every format carries the findings and the errors.
 */
class ValidateRepositoryTest {

    private static final String CONFIG = "examples/proxyguard.yaml";
    private static final String MIXED = "src/test/resources/validate/mixed";
    private static final String SYNTAX_ERROR = MIXED + "/b-syntax-error.yaml";
    private static final String TEMPLATE_OUTSIDE_TEMPLATES = MIXED + "/f-template-outside-templates.yaml";
    private static final String TEMPLATE = MIXED + "/e-not-a-chart/templates/webhook.yaml";
    private static final String SYNTAX_PROBLEM = "invalid YAML: expected ',' or ']', but got ':' (a mapping value) "
            + "(while parsing a flow sequence that starts at line 5, column 11)";
    private static final String TEMPLATE_PROBLEM = "invalid YAML: expected the node content, but found a list item '-' "
            + "(while parsing a flow node that starts at line 1, column 3); the file holds '{{', so it is likely a template: "
            + "validate the chart it belongs to, or exclude it";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void textListsTheErrorsTheSkippedTemplateAndTheFindingsOfTheOtherFiles() {
        CommandRun run = CommandRun.of("validate", "-f", MIXED, "--config", CONFIG);

        assertThat(run.out().lines()).containsExactly(
                SYNTAX_ERROR + ":6:5: error: " + SYNTAX_PROBLEM,
                TEMPLATE_OUTSIDE_TEMPLATES + ":1:3: error: " + TEMPLATE_PROBLEM,
                TEMPLATE + ": skipped: a Helm template ('{{' in a templates directory), not a manifest: it has no Chart.yaml "
                        + "above it to render it with; exclude it or validate what it renders to",
                MIXED + "/a-proxy-http.yaml:2: ServiceEntry mixed/proxy-http: PG101 deny spec.ports[0].protocol: "
                        + "port 3128 is HTTP: Envoy's HTTP router answers CONNECT with 404; set protocol: TCP",
                "2 objects checked: 1 deny, 0 warn, 2 errors, 1 skipped, 1 fixed");
        assertThat(run.exitCode()).as("an input error wins over a deny finding").isEqualTo(2);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonCarriesFindingsErrorsWithLineAndColumnAndSkippedInputs() throws Exception {
        CommandRun run = CommandRun.of("validate", "-f", MIXED, "--config", CONFIG, "-o", "json");

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("findings")).hasSize(1);
        assertThat(report.at("/findings/0/rule").asText()).isEqualTo("PG101");
        assertThat(report.at("/findings/0/file").asText()).isEqualTo(MIXED + "/a-proxy-http.yaml");
        assertThat(report.get("errors").toString()).isEqualTo(JSON.createArrayNode()
                .add(JSON.createObjectNode().put("file", SYNTAX_ERROR).put("line", 6).put("column", 5).put("message", SYNTAX_PROBLEM))
                .add(JSON.createObjectNode().put("file", TEMPLATE_OUTSIDE_TEMPLATES).put("line", 1).put("column", 3)
                        .put("message", TEMPLATE_PROBLEM))
                .toString());
        assertThat(report.get("skipped").findValuesAsText("file")).containsExactly(TEMPLATE);
        assertThat(report.get("summary").toString())
                .isEqualTo("{\"objects\":2,\"deny\":1,\"warn\":0,\"errors\":2,\"skipped\":1,\"fixed\":1}");
    }

    @Test
    void sarifHasTheFindingAndEachInputErrorAsAResultOfItsOwnRule() throws Exception {
        CommandRun run = CommandRun.of("validate", "-f", MIXED, "--config", CONFIG, "-o", "sarif");

        assertThat(run.exitCode()).isEqualTo(2);
        var sarifRun = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(run.out(), SarifSchema210.class).getRuns().get(0);
        List<ReportingDescriptor> rules = List.copyOf(sarifRun.getTool().getDriver().getRules());
        assertThat(sarifRun.getResults()).extracting(Result::getRuleId).containsExactly("PG101", "input-error", "input-error");
        for (Result result : sarifRun.getResults()) {
            assertThat(rules.get(result.getRuleIndex()).getId()).isEqualTo(result.getRuleId());
            assertThat(result.getLevel().value()).isEqualTo("error");
        }
        Result syntax = sarifRun.getResults().get(1);
        assertThat(syntax.getMessage().getText()).isEqualTo(SYNTAX_PROBLEM);
        var location = syntax.getLocations().get(0).getPhysicalLocation();
        assertThat(location.getArtifactLocation().getUri()).isEqualTo(SYNTAX_ERROR);
        assertThat(location.getRegion().getStartLine()).isEqualTo(6);
        assertThat(location.getRegion().getStartColumn()).isEqualTo(5);
        assertThat(rules.get(syntax.getRuleIndex()).getHelp().getText()).contains("exits with code 2");
        var invocation = sarifRun.getInvocations().get(0);
        assertThat(invocation.getExecutionSuccessful()).isFalse();
        assertThat(invocation.getToolExecutionNotifications()).extracting(n -> n.getLevel().value())
                .containsExactly("error", "error", "warning");
        Notification skipped = invocation.getToolExecutionNotifications().get(2);
        assertThat(skipped.getMessage().getText()).startsWith("skipped: a Helm template");
        assertThat(skipped.getLocations().iterator().next().getPhysicalLocation().getArtifactLocation().getUri()).isEqualTo(TEMPLATE);
    }

    @Test
    void aSkippedInputIsANoteThatLeavesTheExitCodeToTheFindings() {
        CommandRun run = CommandRun.of("validate", "-f", MIXED + "/e-not-a-chart", "-f", MIXED + "/c-ci-workflow.yaml");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).endsWith("0 objects checked: 0 deny, 0 warn, 0 errors, 1 skipped\n");
    }

    @Test
    void fixWritesWhatItCouldReadAndNamesWhatItCouldNot() throws Exception {
        CommandRun run = CommandRun.of("validate", "-f", MIXED, "--config", CONFIG, "--fix");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out().lines().filter(line -> line.startsWith("#"))).containsExactly(
                "# proxyguard --fix: not written: " + SYNTAX_ERROR + ": it could not be read (see the report)",
                "# proxyguard --fix: not written: " + TEMPLATE + ": skipped (see the report)",
                "# proxyguard --fix: not written: " + TEMPLATE_OUTSIDE_TEMPLATES + ": it could not be read (see the report)");
        List<JsonNode> written = SafeYaml.readAll(run.out(), "stdout");
        assertThat(written).extracting(d -> d.path("kind").asText(d.path("name").asText(d.fieldNames().next())))
                .containsExactly("ServiceEntry", "ci", "ConfigMap", "editor");
        assertThat(written.get(0).at("/spec/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(run.err()).contains(SYNTAX_ERROR + ":6:5: error:").endsWith("2 objects checked: 1 deny, 0 warn, 2 errors, 1 skipped, 1 fixed\n");
    }

    @Test
    void invalidUtf8IsAnErrorAtTheLineAndColumnOfTheBadByte(@TempDir Path dir) throws Exception {
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'a', ':', ' ', 'o', 'k', '\n', 'b', ':', ' ', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        Files.copy(Path.of("examples/broken/pg104-no-address.yaml"), dir.resolve("other.yaml"));

        CommandRun run = CommandRun.of("validate", "-f", dir.toString(), "--config", CONFIG);

        assertThat(run.out().lines()).first().isEqualTo(latin1 + ":2:7: error: not valid UTF-8: byte 0xE9 does not start or continue a character here");
        assertThat(run.out()).contains("PG104 deny").endsWith("1 objects checked: 1 deny, 0 warn, 1 errors, 1 fixed\n");
        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void aTemplateInsideAChartSaysWhichChartToValidate(@TempDir Path dir) throws Exception {
        Path templates = Files.createDirectories(dir.resolve("my-chart/templates"));
        Files.writeString(dir.resolve("my-chart/Chart.yaml"), "apiVersion: v2\nname: my-chart\nversion: 0.1.0\n");
        Files.writeString(templates.resolve("entry.yaml"), "kind: ServiceEntry\nmetadata: {name: {{ .Release.Name }}}\n");

        CommandRun run = CommandRun.of("validate", "-f", templates.toString());

        assertThat(run.out()).startsWith(templates.resolve("entry.yaml") + ": skipped: a Helm template ('{{' in a templates directory), "
                + "not a manifest: validate its chart instead (-f " + dir.resolve("my-chart") + ") so that helm renders it\n");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void excludeLeavesOutNamesAtAnyDepthAndPathsFromTheRootOrAsShown(@TempDir Path dir) throws Exception {
        CommandRun run = CommandRun.of("validate", "-f", MIXED, "--config", CONFIG,
                "--exclude", "b-*.yaml", "--exclude", "templates", "--exclude", MIXED + "/f-*", "-o", "json");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("\"summary\" : {\n    \"objects\" : 2,\n    \"deny\" : 1,\n    \"warn\" : 0,\n    \"errors\" : 0,\n    \"skipped\" : 0,");
        Path team = Files.createDirectories(dir.resolve("team"));
        Files.copy(Path.of(MIXED, "a-proxy-http.yaml"), team.resolve("a.yaml"));
        Files.copy(Path.of(SYNTAX_ERROR), team.resolve("b.yaml"));
        Files.copy(Path.of(SYNTAX_ERROR), dir.resolve("b.yaml"));
        CommandRun fromRoot = CommandRun.of("validate", "-f", dir.toString(), "--config", CONFIG, "--exclude", "team/b*");
        assertThat(fromRoot.out().lines()).as("team/b.yaml left out, the b.yaml at the root kept").containsExactly(
                dir.resolve("b.yaml") + ":6:5: error: " + SYNTAX_PROBLEM,
                team.resolve("a.yaml") + ":2: ServiceEntry mixed/proxy-http: PG101 deny spec.ports[0].protocol: "
                        + "port 3128 is HTTP: Envoy's HTTP router answers CONNECT with 404; set protocol: TCP",
                "1 objects checked: 1 deny, 0 warn, 1 errors, 1 fixed");
    }

    @Test
    void aProxyguardignoreAtTheRootAddsItsGlobs(@TempDir Path dir) throws Exception {
        Files.copy(Path.of(MIXED, "a-proxy-http.yaml"), dir.resolve("a.yaml"));
        Files.createDirectories(dir.resolve("legacy/deep"));
        Files.writeString(dir.resolve("legacy/deep/broken.yaml"), "a: [\n");
        Files.writeString(dir.resolve("package-lock.json"), "{not json");
        Files.writeString(dir.resolve(".proxyguardignore"), "# not manifests\n\n/legacy/\n*.json\n");

        CommandRun run = CommandRun.of("validate", "-f", dir.toString(), "--config", CONFIG);

        assertThat(run.out()).endsWith("1 objects checked: 1 deny, 0 warn, 0 errors, 1 fixed\n");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void aNegationInTheIgnoreFileIsAUsageErrorNamingItsLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".proxyguardignore"), "*.json\n!keep.json\n");

        CommandRun run = CommandRun.of("validate", "-f", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("proxyguard: " + dir.resolve(".proxyguardignore")
                + ":2: '!keep.json': negation (!) is not supported; list only what to leave out\n");
        assertThat(run.out()).isEmpty();
    }
}
