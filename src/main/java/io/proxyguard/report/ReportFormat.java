package io.proxyguard.report;

import io.proxyguard.engine.rules.RuleCatalog;

import java.util.Locale;

/** The output formats of {@code validate} and {@code audit}. */
public enum ReportFormat {
    TEXT,
    JSON,
    SARIF;

    public String render(ValidationReport report, RuleCatalog catalog) {
        return switch (this) {
            case TEXT -> TextReport.render(report);
            case JSON -> JsonReport.render(report);
            case SARIF -> SarifReport.render(report, catalog);
        };
    }

    /** Lets picocli accept {@code text}, {@code json}, {@code sarif} in any case. */
    public static ReportFormat parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
