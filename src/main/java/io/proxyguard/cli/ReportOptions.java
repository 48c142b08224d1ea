package io.proxyguard.cli;

import io.proxyguard.engine.Severity;
import io.proxyguard.engine.rules.RuleCatalog;
import io.proxyguard.report.ReportFormat;
import io.proxyguard.report.ValidationReport;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code -o} and {@code --fail-on}, and the exit code they imply, shared by validate and audit. */
public final class ReportOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "Report format: text, json, sarif, or for audit policyreport: PolicyReport objects as YAML (default: ${DEFAULT-VALUE}).")
    Output format;

    /** What {@code -o} asks for: one of the report formats, or (audit only) the PolicyReports. */
    enum Output {
        TEXT, JSON, SARIF, POLICYREPORT;

        /** The report format; there is none for {@link #POLICYREPORT}, which describes a cluster, not a report. */
        ReportFormat reportFormat() {
            if (this == POLICYREPORT) {
                throw new IllegalStateException("PolicyReports are rendered from an audit's verdicts");
            }
            return ReportFormat.valueOf(name());
        }
    }

    boolean wantsPolicyReports() {
        return format == Output.POLICYREPORT;
    }

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "deny", converter = SeverityConverter.class,
            description = "Lowest severity that makes the exit code 1: deny or warn (default: ${DEFAULT-VALUE}).")
    Severity failOn;

    /**
     * Writes the report and returns the exit code: 2 when there is any input error (part of the input was not
     * checked, so no result can be trusted as clean), else 1 when a finding is at the fail level, else 0. The
     * report always lists every finding and every error; skipped inputs are notes and do not change the code.
     */
    int print(ValidationReport report, PrintWriter out) {
        out.print(format.reportFormat().render(report, RuleCatalog.standard()));
        out.flush();
        return exitCode(report);
    }

    /** The exit code of {@code report}, whatever was printed. */
    int exitCode(ValidationReport report) {
        if (!report.errors().isEmpty()) {
            return Main.EXIT_USAGE;
        }
        return report.fails(failOn) ? Main.EXIT_FINDINGS : Main.EXIT_OK;
    }
}
