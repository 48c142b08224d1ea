package io.proxyguard.engine;

import java.util.Locale;

/** How a rule's finding is acted on: {@code deny} rejects, {@code warn} only reports, {@code off} drops the rule. */
public enum Severity {
    DENY,
    WARN,
    OFF;

    /** Parses {@code deny}, {@code warn} or {@code off}, in any case. */
    public static Severity parse(String text) {
        if (text != null) {
            for (Severity severity : values()) {
                if (severity.name().equalsIgnoreCase(text.trim())) {
                    return severity;
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a severity: use deny, warn or off");
    }

    /** The lower-case name used in configuration files and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this severity is at least {@code threshold} (deny is above warn; off is never reached). */
    public boolean reaches(Severity threshold) {
        return this != OFF && ordinal() <= threshold.ordinal();
    }
}
