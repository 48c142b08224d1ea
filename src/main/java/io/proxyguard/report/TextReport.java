package io.proxyguard.report;

import io.proxyguard.engine.Finding;
import io.proxyguard.engine.Severity;

/**
 * One line per input error ({@code file:line:column: error: message}), per skipped input
 * ({@code dir: skipped: reason}) and per finding ({@code file:line: Kind ns/name: PG101 deny spec.ports[0].protocol: message}),
 * a summary last.
 */
final class TextReport {

    private TextReport() {
    }

    static String render(ValidationReport report) {
        StringBuilder out = new StringBuilder();
        for (InputError error : report.errors()) {
            out.append(where(error.file(), error.line()))
                    .append(error.line() > 0 && error.column() > 0 ? ":" + error.column() : "")
                    .append(": error: ").append(error.message()).append('\n');
        }
        for (SkippedInput skipped : report.skipped()) {
            out.append(skipped.file()).append(": skipped: ").append(skipped.reason()).append('\n');
        }
        for (Located located : report.findings()) {
            Finding finding = located.finding();
            out.append(where(located.file(), located.line())).append(": ")
                    .append(finding.resource().display()).append(": ")
                    .append(finding.ruleId()).append(' ').append(finding.severity().label()).append(' ')
                    .append(finding.path()).append(": ")
                    .append(finding.message()).append('\n');
        }
        out.append(summary(report)).append('\n');
        return out.toString();
    }

    /** {@code file:line}, or the source alone when it has no lines (a live cluster, a rendered template). */
    private static String where(String file, int line) {
        return line > 0 ? file + ":" + line : file;
    }

    static String summary(ValidationReport report) {
        return report.objects() + " objects checked: " + report.count(Severity.DENY) + " deny, "
                + report.count(Severity.WARN) + " warn, " + report.errors().size() + " errors"
                + (report.skipped().isEmpty() ? "" : ", " + report.skipped().size() + " skipped")
                + (report.fixed() > 0 ? ", " + report.fixed() + " fixed" : "");
    }
}
