package io.proxyguard.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's alerts and dashboard: the plain rules file is the chart's PrometheusRule rendered with the defaults
 * (no hand-kept copy), Prometheus's own {@code promtool} accepts the rules and passes a unit test of every alert that
 * fires it and one that does not, every alert links to its runbook section in docs/deploy.md, and the dashboard's
 * ConfigMap carries the dashboard file as it is.
 */
class MonitoringRulesTest {

    static final Path PLAIN_RULES = Helm.CHART.resolve("monitoring/proxyguard-rules.yaml");
    static final Path DASHBOARD = Helm.CHART.resolve("dashboards/proxyguard.json");
    static final Path UNIT_TESTS = Helm.REPO.resolve("src/test/resources/monitoring/proxyguard-rules-test.yaml");
    /** Release and namespace the plain file is rendered for: those of the install command in docs/deploy.md. */
    static final String PLAIN_RELEASE = "proxyguard";
    /** Rewrites the plain rules file instead of failing when it differs: {@code -Dproxyguard.writeMonitoring=true}. */
    static final String WRITE_PROPERTY = "proxyguard.writeMonitoring";
    static final String PLAIN_HEADER = """
            # ProxyGuard's alerts for a Prometheus without the Prometheus Operator (load it with rule_files).
            # Generated: the chart's PrometheusRule (templates/_alerts.tpl) rendered with the default values for release
            # "proxyguard" in namespace "proxyguard"; MonitoringRulesTest fails when this file differs. Do not edit it:
            # change the template, then run mvn -o test -Dtest=MonitoringRulesTest -D%s=true.
            """.formatted(WRITE_PROPERTY);

    private static final Helm HELM = Helm.installed();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Pattern ANCHOR = Pattern.compile("#([a-z0-9-]+)$");

    @TempDir
    Path dir;

    @Test
    void plainRulesFileIsTheChartsPrometheusRuleRenderedWithTheDefaults() throws IOException {
        String rendered = PLAIN_HEADER + plainRules();

        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(PLAIN_RULES, rendered, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(PLAIN_RULES, StandardCharsets.UTF_8))
                .as("%s is out of date: run mvn -o test -Dtest=MonitoringRulesTest -D%s=true", PLAIN_RULES, WRITE_PROPERTY)
                .isEqualTo(rendered);
    }

    @Test
    void promtoolAcceptsTheRulesAsRenderedForEachScenario() throws IOException {
        Promtool promtool = Promtool.installedOrSkip();
        Path operatorRules = dir.resolve("monitoring-values-rules.yaml");
        Files.writeString(operatorRules, groupsOf(HELM.render(Helm.scenario("monitoring-values.yaml"))));
        Path certManagerRules = dir.resolve("cert-manager-rules.yaml");
        Files.writeString(certManagerRules, groupsOf(HELM.render("--set", "prometheusRule.enabled=true",
                "--set", "certificates.mode=cert-manager")));

        for (Path rules : List.of(PLAIN_RULES, operatorRules, certManagerRules)) {
            Promtool.Run check = promtool.run("check", "rules", rules.toString());
            assertThat(check.exitCode()).as("promtool check rules %s:%n%s", rules.getFileName(), check.output()).isZero();
        }
    }

    @Test
    void promtoolUnitTestsOfEveryAlertPass() throws IOException {
        Promtool promtool = Promtool.installedOrSkip();
        Files.copy(PLAIN_RULES, dir.resolve(PLAIN_RULES.getFileName()));
        Path tests = dir.resolve("proxyguard-rules-test.yaml");
        Files.copy(UNIT_TESTS, tests);

        Promtool.Run run = promtool.run("test", "rules", tests.toString());

        assertThat(run.exitCode()).as("promtool test rules:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTestThatFiresItAndOneThatDoesNot() throws IOException {
        JsonNode tests = YAML.readTree(UNIT_TESTS.toFile());
        Set<String> fired = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : tests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? silent : fired).add(check.path("alertname").asText());
            }
        }

        Set<String> alerts = alertNames(YAML.readTree(PLAIN_RULES.toFile()));
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        assertThat(fired).as("alerts with a test that fires them").containsAll(alerts);
        assertThat(silent).as("alerts with a test where they stay silent").containsAll(alerts);
    }

    @Test
    void everyAlertHasASeveritySummaryAndARunbookSectionInDeployDoc() throws IOException {
        Set<String> anchors = markdownAnchors(Files.readString(Helm.REPO.resolve("docs/deploy.md")));
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : rules(YAML.readTree(PLAIN_RULES.toFile()))) {
            String alert = rule.path("alert").asText();
            if (!Set.of("warning", "critical").contains(rule.path("labels").path("severity").asText())) {
                problems.add(alert + ": severity is neither warning nor critical");
            }
            if (rule.path("annotations").path("summary").asText().isBlank() || rule.path("annotations").path("description").asText().isBlank()) {
                problems.add(alert + ": no summary or description");
            }
            Matcher anchor = ANCHOR.matcher(rule.path("annotations").path("runbook_url").asText());
            if (!anchor.find() || !anchor.group(1).equals(alert.toLowerCase(Locale.ROOT)) || !anchors.contains(anchor.group(1))) {
                problems.add(alert + ": runbook_url '" + rule.path("annotations").path("runbook_url").asText()
                        + "' does not point at a section '" + alert + "' of docs/deploy.md");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void leaderAlertOnlyWhenTheReplicasManageTheirCertificates() throws IOException {
        Set<String> selfManaged = alertNames(YAML.readTree(groupsOf(HELM.render("--set", "prometheusRule.enabled=true"))));
        Set<String> certManager = alertNames(YAML.readTree(groupsOf(HELM.render("--set", "prometheusRule.enabled=true",
                "--set", "certificates.mode=cert-manager"))));

        assertThat(selfManaged).contains("ProxyGuardCertificateLeaderMissing");
        assertThat(certManager).doesNotContain("ProxyGuardCertificateLeaderMissing").contains("ProxyGuardCertificateExpiring");
    }

    @Test
    void offByDefault() {
        RenderedChart chart = HELM.render();

        assertThat(chart.custom("PrometheusRule")).isEmpty();
        assertThat(chart.all(ConfigMap.class)).noneMatch(c -> c.getMetadata().getLabels().containsKey("grafana_dashboard"));
    }

    @Test
    void prometheusRuleCarriesItsLabelsAndEveryAlertTheExtraAlertLabels() throws IOException {
        GenericKubernetesResource rule = prometheusRule(HELM.render(Helm.scenario("monitoring-values.yaml")));

        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        for (JsonNode alert : rules(YAML.valueToTree(rule.getAdditionalProperties().get("spec")))) {
            assertThat(alert.path("labels").path("team").asText()).as(alert.path("alert").asText()).isEqualTo("platform");
        }
    }

    @Test
    void dashboardConfigMapCarriesTheDashboardFileForGrafanasSidecar() throws IOException {
        RenderedChart chart = HELM.render(Helm.scenario("monitoring-values.yaml"));
        ConfigMap dashboard = chart.all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().endsWith("-dashboard")).findFirst().orElseThrow();

        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "ProxyGuard");
        assertThat(dashboard.getData().get("proxyguard.json")).isEqualTo(Files.readString(DASHBOARD).strip());
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("proxyguard.json"));
        assertThat(json.path("uid").asText()).isEqualTo("proxyguard");
        List<String> variables = new ArrayList<>();
        json.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("namespace", "pod");
    }

    /** The rules of the plain file, rendered from the chart: the {@code spec} of its PrometheusRule, as helm printed it. */
    static String plainRules() {
        Helm.HelmRun run = HELM.template(PLAIN_RELEASE, PLAIN_RELEASE, List.of("--set", "prometheusRule.enabled=true",
                "--show-only", "templates/prometheusrule.yaml"));
        assertThat(run.exitCode()).as("helm template:%n%s", run.stderr()).isZero();
        String text = run.stdout();
        int spec = text.indexOf("\nspec:\n");
        assertThat(spec).as("a spec in:%n%s", text).isPositive();
        StringBuilder groups = new StringBuilder();
        for (String line : text.substring(spec + "\nspec:\n".length()).split("\n", -1)) {
            groups.append(line.startsWith("  ") ? line.substring(2) : line).append('\n');
        }
        return groups.toString().strip() + "\n";
    }

    private static GenericKubernetesResource prometheusRule(RenderedChart chart) {
        List<GenericKubernetesResource> rules = chart.custom("PrometheusRule");
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }

    /** The PrometheusRule's {@code spec} as a rules file ({@code groups:}). */
    private static String groupsOf(RenderedChart chart) throws IOException {
        return YAML.writeValueAsString(prometheusRule(chart).getAdditionalProperties().get("spec"));
    }

    private static List<JsonNode> rules(JsonNode file) {
        List<JsonNode> rules = new ArrayList<>();
        file.path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        return rules;
    }

    private static Set<String> alertNames(JsonNode file) {
        Set<String> names = new LinkedHashSet<>();
        rules(file).forEach(r -> names.add(r.path("alert").asText()));
        return names;
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, spaces to dashes, punctuation dropped. */
    static Set<String> markdownAnchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
