package io.proxyguard.cli;

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

/** {@code proxyguard validate} through picocli, on the bundled examples and on bad input. */
class ValidateCommandTest {

    private static final String CONFIG = "examples/proxyguard.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void cleanExamplesPassWithExitZero() {
        CommandRun run = CommandRun.of("validate", "-f", "examples/clean", "--config", CONFIG);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("17 objects checked: 0 deny, 0 warn, 0 errors\n");
    }

    @Test
    void everyBrokenExampleIsCaughtByItsRule() throws Exception {
        CommandRun run = CommandRun.of("validate", "-f", "examples/broken", "--config", CONFIG, "-o", "json");

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode report = JSON.readTree(run.out());
        java.util.Map<String, java.util.Set<String>> rulesByFile = new java.util.TreeMap<>();
        for (JsonNode finding : report.get("findings")) {
            String file = Path.of(finding.get("file").asText()).getFileName().toString();
            rulesByFile.computeIfAbsent(file, f -> new java.util.TreeSet<>()).add(finding.get("rule").asText());
        }
        // each example is named after its rule; three also show a second rule on purpose
        java.util.Map<String, java.util.Set<String>> extra = java.util.Map.of(
                "pg105-dns-resolution.yaml", java.util.Set.of("PG102"),
                "pg206-workload-behind-http-entry.yaml", java.util.Set.of("PG101"),
                "pg109-http-entry-on-proxy-port.yaml", java.util.Set.of("PG208"));
        try (var files = Files.list(Path.of("examples/broken"))) {
            java.util.Map<String, java.util.Set<String>> expected = new java.util.TreeMap<>();
            files.map(f -> f.getFileName().toString()).forEach(file -> {
                java.util.Set<String> rules = new java.util.TreeSet<>(extra.getOrDefault(file, java.util.Set.of()));
                rules.add(file.substring(0, 5).toUpperCase());
                expected.put(file, rules);
            });
            assertThat(rulesByFile).isEqualTo(expected);
            assertThat(expected.values().stream().flatMap(java.util.Set::stream).distinct())
                    .as("every rule has a broken example")
                    .hasSameElementsAs(io.proxyguard.engine.rules.RuleCatalog.standard().all().stream().map(r -> r.info().id()).toList());
        }
        assertThat(report.at("/summary/deny").asInt()).isEqualTo(4);
        assertThat(run.out()).doesNotContain("Winter2026");
    }

    @Test
    void textFormatHasOneLinePerFindingAndASummary() {
        CommandRun run = CommandRun.of("validate", "-f", "examples/broken/pg101-http-protocol.yaml", "--config", CONFIG);

        assertThat(run.out().lines()).containsExactly(
                "examples/broken/pg101-http-protocol.yaml:2: ServiceEntry pg101/proxy-http: PG101 deny spec.ports[0].protocol: "
                        + "port 3128 is HTTP: Envoy's HTTP router answers CONNECT with 404; set protocol: TCP",
                "1 objects checked: 1 deny, 0 warn, 0 errors, 1 fixed");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void failOnWarnTurnsWarningsIntoExitOne() {
        String[] base = {"validate", "-f", "examples/broken/pg108-two-addresses.yaml", "--config", CONFIG};
        assertThat(CommandRun.of(base).exitCode()).isZero();
        assertThat(CommandRun.of(concat(base, "--fail-on", "warn")).exitCode()).isEqualTo(1);
    }

    @Test
    void sarifIsValidAgainstTheSchemaModelWithRulesAndLocations() throws Exception {
        CommandRun run = CommandRun.of("validate", "-f", "examples/broken", "--config", CONFIG, "-o", "sarif");

        SarifSchema210 sarif = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(run.out(), SarifSchema210.class);
        assertThat(sarif.getVersion().value()).isEqualTo("2.1.0");
        var run0 = sarif.getRuns().get(0);
        assertThat(run0.getTool().getDriver().getRules()).extracting(r -> r.getId())
                .containsExactly("PG101", "PG102", "PG103", "PG104", "PG105", "PG106", "PG107", "PG108", "PG109", "PG110",
                        "PG111", "PG201", "PG202", "PG203", "PG204", "PG205", "PG206", "PG207", "PG208", "PG209", "input-error");
        assertThat(run0.getTool().getDriver().getRules()).allSatisfy(r -> assertThat(r.getHelp().getText()).isNotBlank());
        Result first = run0.getResults().get(0);
        assertThat(first.getRuleId()).isEqualTo("PG101");
        assertThat(first.getLevel().value()).isEqualTo("error");
        var location = first.getLocations().get(0).getPhysicalLocation();
        assertThat(location.getArtifactLocation().getUri()).isEqualTo("examples/broken/pg101-http-protocol.yaml");
        assertThat(location.getRegion().getStartLine()).isEqualTo(2);
        assertThat(run0.getResults()).extracting(r -> r.getLevel().value()).contains("warning");
    }

    @Test
    void fixWritesEveryDocumentFixedToStdoutAndTheReportToStderr(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("mixed.yaml");
        Files.writeString(input, Files.readString(Path.of("examples/broken/pg101-http-protocol.yaml"))
                + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: untouched}\ndata: {a: \"1\"}\n");

        CommandRun run = CommandRun.of("validate", "-f", input.toString(), "--config", CONFIG, "--fix");

        List<JsonNode> documents = SafeYaml.readAll(run.out(), "stdout");
        assertThat(documents).hasSize(2);
        assertThat(documents.get(0).at("/spec/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(documents.get(1)).isEqualTo(SafeYaml.readAll(Files.readString(input), "in").get(1));
        assertThat(run.err()).contains("PG101 deny").contains("1 fixed");

        Path fixed = dir.resolve("fixed.yaml");
        Files.writeString(fixed, run.out());
        assertThat(CommandRun.of("validate", "-f", fixed.toString(), "--config", CONFIG).exitCode()).isZero();
    }

    @Test
    void aMeshConfigMapSettingIstioCannotReadIsAnInputErrorAtItsDocument(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("mesh.yaml");
        Files.writeString(input, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |
                    outboundTrafficPolicy:
                      mode: registry_only
                """);

        CommandRun run = CommandRun.of("validate", "-f", input.toString(), "--config", CONFIG);

        assertThat(run.out().lines()).containsExactly(
                input + ":5: error: ConfigMap istio-system/istio data.mesh: outboundTrafficPolicy.mode: 'registry_only' is "
                        + "neither ALLOW_ANY nor REGISTRY_ONLY; Istio's default is used",
                "2 objects checked: 0 deny, 0 warn, 1 errors");
        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void kindListItemsAreChecked(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("list.json");
        JsonNode entry = SafeYaml.readOne(Files.readString(Path.of("examples/broken/pg104-no-address.yaml")), "e");
        Files.writeString(list, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + entry + "]}");

        CommandRun run = CommandRun.of("validate", "-f", list.toString(), "--config", CONFIG, "-o", "json");

        assertThat(JSON.readTree(run.out()).get("findings").findValuesAsText("rule")).containsExactly("PG104");
    }

    @Test
    void invalidYamlIsExitTwoNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: v1\nkind: ServiceEntry\nmetadata:\n  name: [oops\n");

        CommandRun run = CommandRun.of("validate", "-f", bad.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out().lines()).containsExactly(bad + ":5:1: error: invalid YAML: expected ',' or ']', but got the end of the file "
                + "(while parsing a flow sequence that starts at line 4, column 9)", "0 objects checked: 0 deny, 0 warn, 1 errors");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void missingFileAndBadConfigAndBadFlagsAreExitTwo(@TempDir Path dir) throws Exception {
        CommandRun missing = CommandRun.of("validate", "-f", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml: no such file or directory");
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "proxies: [{name: p, address: proxy.corp, port: 3128}]");
        CommandRun badConfig = CommandRun.of("validate", "-f", "examples/clean", "--config", config.toString());
        assertThat(badConfig.exitCode()).isEqualTo(2);
        assertThat(badConfig.err()).contains("proxies[0].address");
        assertThat(CommandRun.of("validate", "-f", "examples/clean", "-o", "xml").exitCode()).isEqualTo(2);
        assertThat(CommandRun.of("validate").exitCode()).isEqualTo(2);
        assertThat(CommandRun.of("validate", "-f", "x", "--fail-on", "off").err()).contains("deny or warn");
    }

    @Test
    void anObjectWithWrongTypesIsAnInputErrorThatNamesTheFieldNotTheValue(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("typed.yaml");
        Files.writeString(bad, Files.readString(Path.of("examples/clean/guide-proxy-v1.yaml"))
                .replace("number: 3128", "number: hunter2-secret"));

        CommandRun run = CommandRun.of("validate", "-f", bad.toString(), "-o", "json");

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode error = JSON.readTree(run.out()).get("errors").get(0);
        assertThat(error.get("message").asText()).isEqualTo("ServiceEntry default/proxy: spec.ports[0].number: expected a number");
        assertThat(run.out()).doesNotContain("hunter2");
    }

    @Test
    void docsRulesMdIsTheOutputOfTheRulesCommand() throws Exception {
        assertThat(Files.readString(Path.of("docs/rules.md"))).isEqualTo(CommandRun.of("rules").out());
    }

    @Test
    void versionAndHelp() {
        assertThat(CommandRun.of("--version").out()).startsWith("proxyguard ");
        assertThat(CommandRun.of("validate", "--help").out()).contains("--fail-on").contains("--fix").contains("sarif");
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
