package io.proxyguard.engine;

import java.util.regex.Pattern;

/** Keeps finding messages to one short line, whatever the input's names (host names run to 253 characters). */
final class Messages {

    /** The longest message a finding carries; admission warnings add the rule ID and stay under 256. */
    static final int MAX_LENGTH = 200;
    private static final Pattern BREAKS = Pattern.compile("[\\r\\n\\t]+");

    private Messages() {
    }

    /** Each run of CR, LF and TAB becomes one space; past {@link #MAX_LENGTH} the text is cut with "...". */
    static String limit(String message) {
        String oneLine = hasBreak(message) ? BREAKS.matcher(message).replaceAll(" ") : message;
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH - 3) + "...";
    }

    /** Most messages have no break at all: a scan is much cheaper than the regex on every finding. */
    private static boolean hasBreak(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t') {
                return true;
            }
        }
        return false;
    }
}
