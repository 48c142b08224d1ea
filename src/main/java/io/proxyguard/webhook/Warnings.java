package io.proxyguard.webhook;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits warnings into what the API server passes on: it truncates a warning longer than 256 characters
 * and drops everything past 4096 characters in total. Each warning is cut to {@value #MAX_WARNING_CHARS}
 * characters (ending in "..."), control characters become spaces, and when the total would exceed
 * {@value #MAX_TOTAL_CHARS} the warnings that do not fit are replaced by one closing note that says how
 * many were left out.
 */
public final class Warnings {

    public static final int MAX_WARNING_CHARS = 255;
    public static final int MAX_TOTAL_CHARS = 4000;
    private static final String ELLIPSIS = "...";

    private Warnings() {
    }

    public static List<String> fit(List<String> warnings) {
        List<String> cut = warnings.stream().map(Warnings::cut).toList();
        if (total(cut) <= MAX_TOTAL_CHARS) {
            return cut;
        }
        int budget = MAX_TOTAL_CHARS - droppedNote(cut.size()).length();
        List<String> kept = new ArrayList<>();
        int used = 0;
        for (String warning : cut) {
            if (used + warning.length() > budget) {
                break;
            }
            kept.add(warning);
            used += warning.length();
        }
        kept.add(droppedNote(cut.size() - kept.size()));
        return List.copyOf(kept);
    }

    /** The closing note when {@code dropped} warnings did not fit. */
    static String droppedNote(int dropped) {
        return "ProxyGuard: " + dropped + " more warning" + (dropped == 1 ? "" : "s")
                + " not shown (API server limit); run proxyguard validate on the manifest to see all";
    }

    private static String cut(String warning) {
        StringBuilder clean = new StringBuilder(warning.length());
        warning.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        if (clean.length() <= MAX_WARNING_CHARS) {
            return clean.toString();
        }
        int end = MAX_WARNING_CHARS - ELLIPSIS.length();
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end) + ELLIPSIS;
    }

    private static int total(List<String> warnings) {
        return warnings.stream().mapToInt(String::length).sum();
    }
}
