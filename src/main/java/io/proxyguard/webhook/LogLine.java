package io.proxyguard.webhook;

/**
 * A logfmt line ({@code key=value key2="value with spaces"}): one event per line, greppable and parsed
 * by Loki, Vector and friends. Values that come from requests are quoted and escaped, so a name with a
 * newline or a quote cannot forge a second log line.
 */
final class LogLine {

    private final StringBuilder text;

    LogLine(String event) {
        text = new StringBuilder(event);
    }

    LogLine add(String key, Object value) {
        String shown = String.valueOf(value);
        text.append(' ').append(key).append('=');
        if (isBare(shown)) {
            text.append(shown);
        } else {
            text.append('"');
            shown.codePoints().forEach(this::appendEscaped);
            text.append('"');
        }
        return this;
    }

    /** True when {@code value} needs no quotes: not empty, and only {@code A-Za-z0-9._:/@,+-}. */
    static boolean isBare(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean bare = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "._:/@,+-".indexOf(c) >= 0;
            if (!bare) {
                return false;
            }
        }
        return !value.isEmpty();
    }

    private void appendEscaped(int c) {
        switch (c) {
            case '"' -> text.append("\\\"");
            case '\\' -> text.append("\\\\");
            case '\n' -> text.append("\\n");
            case '\r' -> text.append("\\r");
            case '\t' -> text.append("\\t");
            default -> {
                if (Character.isISOControl(c)) {
                    text.append(String.format("\\u%04x", c));
                } else {
                    text.appendCodePoint(c);
                }
            }
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
