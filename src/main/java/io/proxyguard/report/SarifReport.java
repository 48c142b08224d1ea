package io.proxyguard.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.Rule;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.rules.RuleCatalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: every rule with its help text, results with a file and
 * line relative to the repository root, and a stable fingerprint so alerts follow an object across edits.
 */
final class SarifReport {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String HELP_URI = "https://github.com/proxyguard/proxyguard/blob/main/docs/rules.md#";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SarifReport() {
    }

    static String render(ValidationReport report, RuleCatalog catalog) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", SCHEMA).put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "ProxyGuard")
                .put("semanticVersion", io.proxyguard.Version.current())
                .put("informationUri", "https://github.com/proxyguard/proxyguard");
        List<String> ruleIds = new ArrayList<>();
        ArrayNode rules = driver.putArray("rules");
        for (Rule rule : catalog.all()) {
            ruleIds.add(rule.id());
            addRule(rules.addObject(), rule.info());
        }
        ArrayNode results = run.putArray("results");
        for (Located located : report.findings()) {
            addResult(results.addObject(), located, ruleIds.indexOf(located.finding().ruleId()));
        }
        ArrayNode notifications = run.putArray("invocations").addObject()
                .put("executionSuccessful", report.errors().isEmpty())
                .putArray("toolExecutionNotifications");
        for (InputError error : report.errors()) {
            ObjectNode notification = notifications.addObject().put("level", "error");
            notification.putObject("message").put("text", error.message());
            location(notification.putArray("locations").addObject(), error.file(), error.line());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addRule(ObjectNode rule, RuleInfo info) {
        rule.put("id", info.id()).put("name", info.title().replaceAll("[^A-Za-z0-9]+", ""));
        rule.putObject("shortDescription").put("text", info.title());
        rule.putObject("fullDescription").put("text", info.rationale());
        rule.putObject("help").put("text", info.rationale())
                .put("markdown", "**" + info.id() + ": " + info.title() + "**\n\n" + info.rationale());
        rule.put("helpUri", HELP_URI + info.id().toLowerCase(java.util.Locale.ROOT));
        rule.putObject("defaultConfiguration").put("level", level(info.defaultSeverity()));
        rule.putObject("properties").putArray("tags").add("istio").add("egress").add("proxy");
    }

    private static void addResult(ObjectNode result, Located located, int ruleIndex) {
        Finding finding = located.finding();
        result.put("ruleId", finding.ruleId()).put("ruleIndex", ruleIndex).put("level", level(finding.severity()));
        result.putObject("message").put("text", finding.resource().display() + ": " + finding.message());
        ObjectNode location = result.putArray("locations").addObject();
        location(location, located.file(), located.line());
        location.putArray("logicalLocations").addObject()
                .put("fullyQualifiedName", finding.resource().display().replace(' ', '/') + "/" + finding.path())
                .put("kind", "object");
        result.putObject("partialFingerprints").put("proxyguardFinding/v1",
                finding.ruleId() + ":" + finding.resource().display() + ":" + finding.path());
    }

    private static void location(ObjectNode location, String file, int line) {
        ObjectNode physical = location.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri(file)).put("uriBaseId", "%SRCROOT%");
        physical.putObject("region").put("startLine", Math.max(1, line));
    }

    /** A forward-slash path relative to the working directory (GitHub resolves it against the repository root). */
    static String uri(String file) {
        if ("stdin".equals(file)) {
            return file;
        }
        Path path = Path.of(file).toAbsolutePath().normalize();
        Path base = Path.of("").toAbsolutePath();
        Path relative = path.startsWith(base) ? base.relativize(path) : path;
        return relative.toString().replace('\\', '/');
    }

    private static String level(Severity severity) {
        return severity == Severity.DENY ? "error" : "warning";
    }
}
