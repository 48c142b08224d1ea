package io.proxyguard.engine.mesh;

import java.util.Locale;

/**
 * One {@code egress[].hosts} item of a Sidecar resource, {@code namespace/dnsName}: the namespace is {@code *},
 * {@code .} (the pod's own), {@code ~} (none) or a name; the DNS name is {@code *}, {@code *.suffix} or exact.
 */
public record ImportedHost(String text, String namespace, String dnsName) {

    /** Parses {@code ns/host}; an item without a slash is read as {@code * /host}, as istiod does for old configs. */
    public static ImportedHost parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String namespace = slash < 0 ? "*" : trimmed.substring(0, slash);
        String dnsName = (slash < 0 ? trimmed : trimmed.substring(slash + 1)).toLowerCase(Locale.ROOT);
        return new ImportedHost(trimmed, namespace, dnsName);
    }

    /** True when this item imports a service of {@code serviceNamespace} named {@code host}, for a pod of {@code podNamespace}. */
    public boolean imports(String serviceNamespace, String host, String podNamespace) {
        boolean namespaceMatches = switch (namespace) {
            case "*" -> true;
            case "~" -> false;
            case "." -> serviceNamespace.equals(podNamespace);
            default -> serviceNamespace.equals(namespace);
        };
        return namespaceMatches && hostMatches(host.toLowerCase(Locale.ROOT));
    }

    /**
     * {@code *} imports every host; {@code *.suffix} imports names under it and wildcard hosts it contains; an exact
     * name imports only that name, never a wildcard host (istiod does not widen an exact import).
     */
    private boolean hostMatches(String host) {
        if (dnsName.equals("*")) {
            return true;
        }
        if (dnsName.startsWith("*.")) {
            return host.endsWith(dnsName.substring(1));
        }
        return !host.startsWith("*") && host.equals(dnsName);
    }
}
