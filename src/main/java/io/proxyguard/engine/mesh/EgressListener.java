package io.proxyguard.engine.mesh;

import io.proxyguard.engine.model.PortProtocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One egress listener of a Sidecar resource (istiod's {@code IstioEgressListenerWrapper}): the port it is limited
 * to, if any, with the protocol written for it, and its hosts indexed by namespace once, so that a question is a
 * few map lookups.
 */
public final class EgressListener {

    /** What a Sidecar without {@code egress}, or no Sidecar at all, imports: {@code * /*}. */
    static final EgressListener EVERYTHING = new EgressListener(OptionalInt.empty(), "", List.of("*/*"));

    private final OptionalInt port;
    private final String protocol;
    private final Map<String, HostClassification> byNamespace = new HashMap<>();
    private final boolean exactHostsOnly;
    private final String text;

    /**
     * A listener on {@code port} (empty: every port) with the {@code hosts} items as written; {@code protocol} is
     * its port's {@code protocol} ("" when unset: Istio sniffs).
     */
    public EgressListener(OptionalInt port, String protocol, List<String> hosts) {
        this.port = port;
        this.protocol = PortProtocol.normalize(protocol);
        boolean exact = true;
        StringBuilder written = new StringBuilder();
        for (String item : hosts) {
            Optional<ImportedHost> parsed = ImportedHost.parse(item);
            written.append(written.length() == 0 ? "" : ", ").append(item)
                    .append(parsed.isEmpty() ? " (ignored: not namespace/dnsName)" : port.isPresent() ? " (port " + port.getAsInt() + ")" : "");
            if (parsed.isEmpty()) {
                continue;
            }
            ImportedHost host = parsed.get();
            byNamespace.computeIfAbsent(host.namespace(), n -> new HostClassification()).add(host);
            if (!host.excluded() && (host.namespace().equals(ImportedHost.ANY_NAMESPACE) || ImportedHost.isWildcard(host.dnsName()))) {
                exact = false;
            }
        }
        this.exactHostsOnly = exact;
        this.text = written.toString();
    }

    public OptionalInt port() {
        return port;
    }

    /** The protocol of the listener's port in Istio's upper case, "" when unset (or the listener has no port). */
    public String protocol() {
        return protocol;
    }

    /** True when this listener serves destination port {@code destinationPort}: it has that port, or none. */
    boolean serves(int destinationPort) {
        return port.isEmpty() || port.getAsInt() == destinationPort;
    }

    /**
     * True when every host is exact and names its namespace. istiod then looks the services up by host and namespace
     * ({@code servicesForExactHosts}) and orders them by age alone, instead of walking what the namespace sees.
     */
    boolean exactHostsOnly() {
        return exactHostsOnly;
    }

    /**
     * {@code selectServices}: true when a service {@code host} of {@code serviceNamespace} is imported for a pod of
     * {@code podNamespace}: not excluded in its namespace or in {@code *}, and matched by a host of its namespace
     * ({@code .} standing for the pod's) or of {@code *}.
     */
    public boolean imports(String serviceNamespace, String host, String podNamespace) {
        HostClassification own = byNamespace.get(serviceNamespace);
        HostClassification dot = serviceNamespace.equals(podNamespace) ? byNamespace.get(ImportedHost.OWN_NAMESPACE) : null;
        HostClassification any = byNamespace.get(ImportedHost.ANY_NAMESPACE);
        if (excludes(own, host) || excludes(dot, host) || excludes(any, host)) {
            return false;
        }
        return matches(own, host) || matches(dot, host) || matches(any, host);
    }

    private static boolean excludes(HostClassification hosts, String host) {
        return hosts != null && hosts.excludes(host);
    }

    private static boolean matches(HostClassification hosts, String host) {
        return hosts != null && hosts.matches(host);
    }

    /** True when the listener imports one of {@code hosts} of a service of {@code serviceNamespace} for a pod of {@code podNamespace}. */
    public boolean importsAny(String serviceNamespace, List<String> hosts, String podNamespace) {
        for (String host : hosts) {
            if (imports(serviceNamespace, host, podNamespace)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ./*, istio-system/* (port 3128)}: the hosts as written, those istiod skips marked, for messages. */
    String text() {
        return text;
    }
}
