package io.proxyguard.engine.mesh;

import java.util.Optional;

/**
 * One {@code egress[].hosts} item of a Sidecar resource, {@code namespace/dnsName}, as istiod reads it
 * (pilot/pkg/model/sidecar.go {@code convertIstioListenerToWrapper}): the namespace is {@code *}, {@code .} (the
 * pod's own, also in a root-namespace Sidecar) or a name; a {@code ~} prefix makes the item an exclusion
 * ({@code ~ns/host}; {@code ~/host} excludes from every namespace). The DNS name is {@code *}, {@code *.suffix} or
 * exact, compared as written (istiod does not fold case).
 *
 * @param namespace {@code *}, {@code .} or a namespace name, without the {@code ~}
 * @param excluded  true for a {@code ~}-prefixed item
 */
record ImportedHost(String namespace, String dnsName, boolean excluded) {

    static final String ANY_NAMESPACE = "*";
    static final String OWN_NAMESPACE = ".";

    /** The item, or empty when it is not {@code namespace/dnsName} with exactly one slash (istiod logs and skips it). */
    static Optional<ImportedHost> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String namespace = text.substring(0, slash);
        boolean excluded = namespace.startsWith("~");
        if (excluded) {
            namespace = namespace.substring(1);
            if (namespace.isEmpty()) {
                namespace = ANY_NAMESPACE;
            }
        }
        return Optional.of(new ImportedHost(namespace, text.substring(slash + 1), excluded));
    }

    /** True when the DNS name has a wildcard, as istiod reads it: a leading {@code *}. */
    static boolean isWildcard(String host) {
        return host.startsWith("*");
    }

    /**
     * pkg/config/host/name.go {@code SubsetOf}: true when every name {@code host} stands for is covered by
     * {@code pattern}. An exact host is covered by itself and by a wildcard it ends in; a wildcard host only by a
     * wildcard at least as wide, so a wildcard entry host is never covered by an exact egress host.
     */
    static boolean subsetOf(String host, String pattern) {
        if (isWildcard(host)) {
            return isWildcard(pattern) && host.length() >= pattern.length() && host.endsWith(pattern.substring(1));
        }
        return isWildcard(pattern) ? host.endsWith(pattern.substring(1)) : host.equals(pattern);
    }
}
