package io.proxyguard.engine;

/** Keeps finding messages to one short line, whatever the input's names (host names run to 253 characters). */
final class Messages {

    /** The longest message a finding carries; admission warnings add the rule ID and stay under 256. */
    static final int MAX_LENGTH = 200;

    private Messages() {
    }

    static String limit(String message) {
        String oneLine = message.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH - 3) + "...";
    }
}
