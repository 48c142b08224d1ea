package io.proxyguard.engine.workload;

import io.proxyguard.engine.FieldPath;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One proxy-related environment variable of a container, after Kubernetes' precedence ({@code env} over
 * {@code envFrom}, later over earlier): its name as written, where its value comes from, the value when it is
 * known, the field that set it, and the value parsed as a proxy URL (once: several rules ask for it).
 */
public record ProxyVariable(String name, Source source, String value, FieldPath path, Optional<ProxyUrl> url) {

    public ProxyVariable(String name, Source source, String value, FieldPath path) {
        this(name, source, value, path, value == null ? Optional.empty() : ProxyUrl.parse(value));
    }

    /** Where the value comes from. */
    public enum Source {
        /** {@code env[].value}: written into the manifest. */
        LITERAL,
        /** {@code configMapKeyRef} or {@code envFrom.configMapRef}, resolved from the view. */
        CONFIG_MAP,
        /** A ConfigMap the view does not hold: the value is unknown. */
        UNKNOWN_CONFIG_MAP,
        /** {@code secretKeyRef} or {@code envFrom.secretRef}: unknown, and rightly kept out of the manifest. */
        SECRET
    }

    private static final Set<String> PROXY_NAMES = Set.of("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY");

    /** True for HTTPS_PROXY, HTTP_PROXY and ALL_PROXY in either case. */
    public static boolean isProxyName(String name) {
        return PROXY_NAMES.contains(name.toUpperCase(Locale.ROOT)) && isUpperOrLower(name);
    }

    /** True for NO_PROXY in either case. */
    public static boolean isNoProxyName(String name) {
        return name.equalsIgnoreCase("NO_PROXY") && isUpperOrLower(name);
    }

    private static boolean isUpperOrLower(String name) {
        return name.equals(name.toUpperCase(Locale.ROOT)) || name.equals(name.toLowerCase(Locale.ROOT));
    }

    public boolean known() {
        return value != null;
    }
}
