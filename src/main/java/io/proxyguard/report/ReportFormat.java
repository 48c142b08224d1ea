package io.proxyguard.report;

import io.proxyguard.engine.rules.RuleCatalog;

import java.util.Locale;

/** The output formats of {@code validate} and {@code audit}; {@link #POLICYREPORT} is {@code audit}'s only. */
public enum ReportFormat {
    TEXT,
    JSON,
    SARIF,
    /** PolicyReport objects as YAML: built from an audit's verdicts (which objects passed), not from a validation report. */
    POLICYREPORT;

    public String render(ValidationReport report, RuleCatalog catalog) {
        return switch (this) {
            case TEXT -> TextReport.render(report);
            case JSON -> JsonReport.render(report);
            case SARIF -> SarifReport.render(report, catalog);
            case POLICYREPORT -> throw new IllegalStateException("PolicyReports are rendered from an audit's verdicts");
        };
    }

    /** Lets picocli accept {@code text}, {@code json}, {@code sarif}, {@code policyreport} in any case. */
    public static ReportFormat parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
