package io.proxyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.rules.RuleCatalog;
import io.proxyguard.hostile.HostileJson;
import io.proxyguard.hostile.HostileYaml;
import io.proxyguard.manifest.InputResult;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.manifest.SafeYaml;
import io.proxyguard.offline.OfflineValidator;
import io.proxyguard.report.ReportFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile manifests against the offline validator: damaged copies of every example manifest, YAML alias
 * bombs, deep nesting, invalid UTF-8, numbers out of range. The large corpus goes through the path
 * {@code proxyguard validate} runs (a file read by {@link ManifestReader}, judged by {@link OfflineValidator},
 * rendered in every report format): it always yields a report, with an input error naming the file when the file
 * cannot be read; anything else would reach the CLI as an unexplained error. A smaller corpus runs the real command
 * line and checks its exit code (0, 1, or 2 with a message naming the file) and that no stack trace shows.
 */
class HostileManifestTest {

    private static Path dir;
    private static List<List<JsonNode>> bases;
    private final PolicyEngine engine;

    HostileManifestTest() throws Exception {
        engine = new PolicyEngine(ConfigLoader.load(Path.of("examples", "proxyguard.yaml")));
    }

    @BeforeContainer
    static void readExamples() throws IOException, ManifestException {
        dir = Files.createTempDirectory("hostile-manifests");
        bases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                bases.add(SafeYaml.readAll(Files.readString(file), file.toString()));
            }
        }
    }

    @AfterContainer
    static void removeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Property(seed = "7101")
    void damagedManifestsGetAReportOrAnErrorNamingTheFile(@ForAll("manifests") byte[] manifest,
                                                          @ForAll ReportFormat format) throws IOException {
        Statistics.collect(validate(manifest, format));
    }

    @Property(seed = "7102", tries = 500)
    void yamlAttacksAreRefusedOrJudged(@ForAll("yamlAttacks") byte[] manifest, @ForAll ReportFormat format) throws IOException {
        Statistics.collect(validate(manifest, format));
    }

    @Example
    void aCutHexEscapeIsAnInputError() throws IOException {
        // SnakeYAML threw NumberFormatException here, past the YAMLException handler
        assertThat(validate("spec:\n  hosts: \"a\\x\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), ReportFormat.TEXT)).isEqualTo("input error");
    }

    @Example
    void anAliasInsideItsOwnAnchorIsAnInputError() throws IOException {
        assertThat(validate("spec: &a [*a]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), ReportFormat.TEXT)).isEqualTo("input error");
    }

    @Property(seed = "7103", tries = 1000)
    void theCommandLineExitsWithZeroOneOrTwoAndAMessage(@ForAll("anything") byte[] manifest,
                                                        @ForAll("formats") String format) throws IOException {
        Path file = dir.resolve("manifest.yaml");
        Files.write(file, manifest);
        CommandRun run = CommandRun.of("validate", "-f", file.toString(), "--config", "examples/proxyguard.yaml", "-o", format);

        assertThat(run.exitCode()).isIn(Main.EXIT_OK, Main.EXIT_FINDINGS, Main.EXIT_USAGE);
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        if (run.exitCode() == Main.EXIT_USAGE) {
            // an unreadable file (stderr), or a report that lists documents it could not judge (stdout)
            assertThat(run.err().startsWith("proxyguard: " + file) || run.out().contains(file.toString())).isTrue();
        } else {
            assertThat(run.out()).isNotBlank();
        }
        Statistics.collect("exit " + run.exitCode());
    }

    @Provide
    Arbitrary<byte[]> manifests() {
        return HostileYaml.damagedManifests(bases);
    }

    @Provide
    Arbitrary<byte[]> yamlAttacks() {
        return HostileYaml.yamlAttacks();
    }

    @Provide
    Arbitrary<byte[]> anything() {
        return Arbitraries.oneOf(HostileYaml.damagedManifests(bases), HostileYaml.yamlAttacks(), HostileJson.deepNesting());
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of("text", "json", "sarif");
    }

    private String validate(byte[] manifest, ReportFormat format) throws IOException {
        Path file = dir.resolve("manifest.yaml");
        Files.write(file, manifest);
        List<InputResult> inputs;
        try {
            inputs = new ManifestReader(InputStream.nullInputStream()).readInputs(List.of(file.toString()));
        } catch (ManifestException e) {
            throw new AssertionError("the file exists: only a missing path may stop the run", e);
        }
        OfflineValidator.Result result = new OfflineValidator(engine).validate(inputs);
        String report = format.render(result.report(), RuleCatalog.standard());
        assertThat(report).isNotBlank();
        result.fixedInputs().forEach(input -> input.documents().forEach(SafeYaml::write));
        if (inputs.get(0) instanceof InputResult.Failed failed) {
            assertThat(failed.error().file()).isEqualTo(file.toString());
            assertThat(failed.error().message()).hasSizeLessThan(1000).doesNotContain("Exception:");
            assertThat(report).contains(file.getFileName().toString());
            return "input error";
        }
        return result.report().errors().isEmpty() ? "judged" : "judged with document errors";
    }
}
