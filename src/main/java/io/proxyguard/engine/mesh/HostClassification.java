package io.proxyguard.engine.mesh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The egress hosts of one listener for one namespace key ({@code *}, {@code .} or a name), as istiod's
 * {@code hostClassification} (pilot/pkg/model/sidecar.go): exact names in a set, every imported name in a list,
 * and the {@code ~} exclusions.
 */
final class HostClassification {

    private final Set<String> exactHosts = new HashSet<>();
    private final List<String> allHosts = new ArrayList<>();
    private final List<String> excludedHosts = new ArrayList<>();

    void add(ImportedHost host) {
        if (host.excluded()) {
            excludedHosts.add(host.dnsName());
            return;
        }
        if (!ImportedHost.isWildcard(host.dnsName())) {
            exactHosts.add(host.dnsName());
        }
        allHosts.add(host.dnsName());
    }

    /** {@code hostClassification.Matches}: an exact lookup first, then the wildcards, one way ({@code SubsetOf}). */
    boolean matches(String host) {
        if (exactHosts.contains(host)) {
            return true;
        }
        boolean wildcardHost = ImportedHost.isWildcard(host);
        for (String imported : allHosts) {
            if ((wildcardHost || ImportedHost.isWildcard(imported)) && ImportedHost.subsetOf(host, imported)) {
                return true;
            }
        }
        return false;
    }

    /** {@code hostClassification.Excluded}. */
    boolean excludes(String host) {
        for (String excluded : excludedHosts) {
            if (ImportedHost.subsetOf(host, excluded)) {
                return true;
            }
        }
        return false;
    }
}
