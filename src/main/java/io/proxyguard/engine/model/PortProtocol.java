package io.proxyguard.engine.model;

import java.util.Locale;
import java.util.Set;

/**
 * Istio's port protocols (pkg/config/protocol/instance.go): names are case-insensitive. The HTTP family goes
 * through Envoy's HTTP connection manager, which answers CONNECT with 404; an unset protocol means
 * sniffing, which takes CONNECT for HTTP/1.1.
 */
public final class PortProtocol {

    private static final Set<String> HTTP_FAMILY = Set.of("HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB");

    private PortProtocol() {
    }

    /** The protocol in Istio's canonical upper case, or an empty string when unset. */
    public static String normalize(String protocol) {
        return protocol == null ? "" : protocol.trim().toUpperCase(Locale.ROOT);
    }

    public static boolean isTcp(String protocol) {
        return normalize(protocol).equals("TCP");
    }

    public static boolean isHttpFamily(String protocol) {
        return HTTP_FAMILY.contains(normalize(protocol));
    }

    /**
     * Istio's protocol selection for a Kubernetes Service port: {@code appProtocol} first, then the name
     * prefix before the first dash ({@code http-web} is HTTP). Returns the upper-case protocol or "".
     */
    public static String ofKubernetesServicePort(String appProtocol, String name) {
        if (appProtocol != null && !appProtocol.isBlank()) {
            return normalize(appProtocol);
        }
        if (name == null) {
            return "";
        }
        int dash = name.indexOf('-');
        return normalize(dash < 0 ? name : name.substring(0, dash));
    }
}
