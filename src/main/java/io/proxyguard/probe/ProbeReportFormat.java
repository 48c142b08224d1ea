package io.proxyguard.probe;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The output formats of {@code proxyguard probe}. Every rendering goes through a redactor, so that no
 * password (nor its Base64 form) reaches the output even if a proxy echoes it back.
 */
public enum ProbeReportFormat {
    TEXT,
    JSON;

    public String render(List<ProbeResult> results, UnaryOperator<String> redactor) {
        return switch (this) {
            case TEXT -> redactor.apply(ProbeTextReport.render(results));
            case JSON -> ProbeJsonReport.render(results, redactor);
        };
    }

    /** Accepts {@code text} and {@code json} in any case. */
    public static ProbeReportFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a format: use text or json", e);
        }
    }
}
