package io.proxyguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.SafeYaml;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every ServiceEntry the engine's tests and the examples use (src/test/resources, examples/; inside
 * AdmissionReviews too), judged by the engine and by the generated policies in CEL, under several
 * configurations: the verdicts must be the same rule by rule.
 */
class FixtureAgreementTest {

    private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    static List<ObjectNode> fixtures() throws IOException {
        List<ObjectNode> entries = new ArrayList<>();
        for (Path root : List.of(REPO.resolve("src/test/resources"), REPO.resolve("examples"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).filter(FixtureAgreementTest::isManifest).sorted().toList()) {
                    for (JsonNode document : read(file)) {
                        collect(document, entries);
                    }
                }
            }
        }
        return entries;
    }

    /** The configurations compared: none, the examples', and one with two proxies, more proxy ports and overrides. */
    static List<ProxyGuardConfig> configurations() throws Exception {
        return List.of(ProxyGuardConfig.defaults(),
                ConfigLoader.load(REPO.resolve("examples/proxyguard.yaml")),
                ConfigLoader.parse("""
                        proxies:
                          - {name: corp-proxy, address: 10.10.0.5, port: 3128, hosts: [my-company-proxy.com]}
                          - {name: lab, address: 192.168.7.20, port: 8080, hosts: [Lab-Proxy.Example.COM]}
                        proxyPorts: [3128, 8080]
                        rules: {PG101: warn, PG102: deny, PG106: off}
                        """, "two-proxies"));
    }

    @Test
    void policyAgreesWithTheEngineOnEveryFixture() throws Exception {
        List<ObjectNode> fixtures = fixtures();
        List<String> disagreements = new ArrayList<>();
        int judged = 0;
        java.util.Set<String> reported = new java.util.TreeSet<>();
        for (ProxyGuardConfig config : configurations()) {
            for (ObjectNode entry : fixtures) {
                if (EngineAgreement.readable(entry)) {
                    judged++;
                    reported.addAll(EngineAgreement.reportedRules(entry, config));
                    disagreements.addAll(EngineAgreement.disagreements(entry, config));
                }
            }
        }

        assertThat(fixtures).as("ServiceEntries found in the fixtures").hasSizeGreaterThan(40);
        assertThat(judged).isGreaterThan(100);
        assertThat(reported).as("rules the fixtures make the engine report")
                .containsAll(PolicyRules.all().stream().map(RuleExpression::ruleId).toList());
        assertThat(disagreements).as("engine and policy disagree").isEmpty();
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** Templates and deliberately broken files do not parse: they hold no object the API server would see. */
    private static List<JsonNode> read(Path file) throws IOException {
        try {
            return SafeYaml.readAll(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (ManifestException | java.nio.charset.MalformedInputException e) {
            return List.of();
        }
    }

    private static void collect(JsonNode node, List<ObjectNode> entries) {
        if (node == null || !node.isObject()) {
            return;
        }
        if ("ServiceEntry".equals(node.path("kind").asText()) && node.path("apiVersion").asText().startsWith("networking.istio.io/")) {
            entries.add((ObjectNode) node);
            return;
        }
        if ("AdmissionReview".equals(node.path("kind").asText())) {
            collect(node.path("request").path("object"), entries);
            collect(node.path("request").path("oldObject"), entries);
        }
        if ("List".equals(node.path("kind").asText())) {
            node.path("items").forEach(item -> collect(item, entries));
        }
    }
}
