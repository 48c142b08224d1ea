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
 * Input errors are results of their own rule, {@value #INPUT_ERROR} (so code scanning shows the file that was
 * not checked instead of a clean repository), and tool notifications too; skipped inputs are notifications.
 */
final class SarifReport {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String HELP_URI = "https://github.com/proxyguard/proxyguard/blob/main/docs/rules.md#";
    static final String INPUT_ERROR = "input-error";
    private static final RuleInfo INPUT_ERROR_RULE = new RuleInfo(INPUT_ERROR, Severity.DENY, "Input not checked",
            "ProxyGuard could not check this input: the file is not valid YAML, JSON or UTF-8, a Helm chart or kustomization "
                    + "did not render, or an object has a field of the wrong type. No rule ran on it, so a clean result "
                    + "elsewhere says nothing about it. Fix it, or exclude it with --exclude or .proxyguardignore if it is "
                    + "not a manifest. proxyguard validate exits with code 2 while any input error remains.");
    private static final String INPUT_ERROR_HELP_URI =
            "https://github.com/proxyguard/proxyguard/blob/main/README.md#the-offline-validator";
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
            addRule(rules.addObject(), rule.info(), HELP_URI + rule.id().toLowerCase(java.util.Locale.ROOT));
        }
        addRule(rules.addObject(), INPUT_ERROR_RULE, INPUT_ERROR_HELP_URI);
        ArrayNode results = run.putArray("results");
        for (Located located : report.findings()) {
            addResult(results.addObject(), located, ruleIds.indexOf(located.finding().ruleId()));
        }
        for (InputError error : report.errors()) {
            addInputError(results.addObject(), error, ruleIds.size());
        }
        ArrayNode notifications = run.putArray("invocations").addObject()
                .put("executionSuccessful", report.errors().isEmpty())
                .putArray("toolExecutionNotifications");
        for (InputError error : report.errors()) {
            ObjectNode notification = notifications.addObject().put("level", "error");
            notification.putObject("message").put("text", error.message());
            location(notification.putArray("locations").addObject(), error.file(), error.line(), error.column());
        }
        for (SkippedInput skipped : report.skipped()) {
            ObjectNode notification = notifications.addObject().put("level", "warning");
            notification.putObject("message").put("text", "skipped: " + skipped.reason());
            location(notification.putArray("locations").addObject(), skipped.file(), 0, 0);
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addRule(ObjectNode rule, RuleInfo info, String helpUri) {
        rule.put("id", info.id()).put("name", info.title().replaceAll("[^A-Za-z0-9]+", ""));
        rule.putObject("shortDescription").put("text", info.title());
        rule.putObject("fullDescription").put("text", info.rationale());
        rule.putObject("help").put("text", info.rationale())
                .put("markdown", "**" + info.id() + ": " + info.title() + "**\n\n" + info.rationale());
        rule.put("helpUri", helpUri);
        rule.putObject("defaultConfiguration").put("level", level(info.defaultSeverity()));
        rule.putObject("properties").putArray("tags").add("istio").add("egress").add("proxy");
    }

    private static void addResult(ObjectNode result, Located located, int ruleIndex) {
        Finding finding = located.finding();
        result.put("ruleId", finding.ruleId()).put("ruleIndex", ruleIndex).put("level", level(finding.severity()));
        result.putObject("message").put("text", finding.resource().display() + ": " + finding.message());
        ObjectNode location = result.putArray("locations").addObject();
        location(location, located.file(), located.line(), 0);
        location.putArray("logicalLocations").addObject()
                .put("fullyQualifiedName", finding.resource().display().replace(' ', '/') + "/" + finding.path())
                .put("kind", "object");
        result.putObject("partialFingerprints").put("proxyguardFinding/v1",
                finding.ruleId() + ":" + finding.resource().display() + ":" + finding.path());
    }

    private static void addInputError(ObjectNode result, InputError error, int ruleIndex) {
        result.put("ruleId", INPUT_ERROR).put("ruleIndex", ruleIndex).put("level", "error");
        result.putObject("message").put("text", error.message());
        location(result.putArray("locations").addObject(), error.file(), error.line(), error.column());
        result.putObject("partialFingerprints").put("proxyguardInputError/v1", INPUT_ERROR + ":" + uri(error.file()));
    }

    /** A file and a region: the line (the first when unknown) and, when known, the column. */
    private static void location(ObjectNode location, String file, int line, int column) {
        ObjectNode physical = location.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri(file)).put("uriBaseId", "%SRCROOT%");
        ObjectNode region = physical.putObject("region").put("startLine", Math.max(1, line));
        if (line > 0 && column > 0) {
            region.put("startColumn", column);
        }
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
