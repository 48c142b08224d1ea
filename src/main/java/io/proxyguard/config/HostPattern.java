package io.proxyguard.config;

import java.util.Locale;

/**
 * A host name pattern as proxy settings write them: {@code *} (every host), {@code *.example.com}
 * (subdomains of example.com), {@code .example.com} or {@code example.com} in a no-proxy list
 * (the domain and its subdomains, as curl reads {@code NO_PROXY}), or an exact name.
 */
public record HostPattern(String text, boolean domainSuffix) {

    /** A pattern for {@code proxiedHosts}: {@code *}, {@code *.domain} or an exact host. */
    public static HostPattern proxied(String text) {
        return new HostPattern(lower(text), false);
    }

    /** A pattern for {@code noProxy}: {@code *}, {@code .domain}, {@code *.domain} or a domain with its subdomains. */
    public static HostPattern noProxy(String text) {
        return new HostPattern(lower(text), true);
    }

    public boolean matches(String host) {
        String candidate = lower(host);
        if (text.equals("*")) {
            return true;
        }
        if (text.startsWith("*.")) {
            return candidate.endsWith(text.substring(1));
        }
        if (text.startsWith(".")) {
            return candidate.endsWith(text) || candidate.equals(text.substring(1));
        }
        return candidate.equals(text) || (domainSuffix && candidate.endsWith("." + text));
    }

    private static String lower(String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith(".") && trimmed.length() > 1 ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    @Override
    public String toString() {
        return text;
    }
}
