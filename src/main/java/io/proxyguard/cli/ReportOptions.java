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
            description = "Report format: text, json or sarif (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "deny", converter = SeverityConverter.class,
            description = "Lowest severity that makes the exit code 1: deny or warn (default: ${DEFAULT-VALUE}).")
    Severity failOn;

    /** Writes the report and returns the exit code: 2 for input errors, 1 at the fail level, else 0. */
    int print(ValidationReport report, PrintWriter out) {
        out.print(format.render(report, RuleCatalog.standard()));
        out.flush();
        if (!report.errors().isEmpty()) {
            return Main.EXIT_USAGE;
        }
        return report.fails(failOn) ? Main.EXIT_FINDINGS : Main.EXIT_OK;
    }
}
