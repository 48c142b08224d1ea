package io.proxyguard.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.Severity;

/**
 * {@code {"findings":[{rule,severity,kind,namespace,name,file,line,path,message,fixable}],
 * "errors":[{file,line,column,message}],"skipped":[{file,reason}],"summary":{objects,deny,warn,errors,skipped,fixed}}}.
 */
final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    static String render(ValidationReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode findings = root.putArray("findings");
        for (Located located : report.findings()) {
            Finding finding = located.finding();
            findings.addObject()
                    .put("rule", finding.ruleId())
                    .put("severity", finding.severity().label())
                    .put("kind", finding.resource().kind())
                    .put("namespace", finding.resource().namespace())
                    .put("name", finding.resource().name())
                    .put("file", located.file())
                    .put("line", located.line())
                    .put("path", finding.path())
                    .put("message", finding.message())
                    .put("fixable", finding.fix() != null);
        }
        ArrayNode errors = root.putArray("errors");
        for (InputError error : report.errors()) {
            errors.addObject().put("file", error.file()).put("line", error.line()).put("column", error.column())
                    .put("message", error.message());
        }
        ArrayNode skipped = root.putArray("skipped");
        for (SkippedInput input : report.skipped()) {
            skipped.addObject().put("file", input.file()).put("reason", input.reason());
        }
        root.putObject("summary")
                .put("objects", report.objects())
                .put("deny", report.count(Severity.DENY))
                .put("warn", report.count(Severity.WARN))
                .put("errors", report.errors().size())
                .put("skipped", report.skipped().size())
                .put("fixed", report.fixed());
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
