package io.proxyguard.engine.mesh;

import java.util.List;
import java.util.Optional;

/**
 * The Sidecar resource a pod's proxy uses, if any (istiod's SidecarScope): what it imports, and the outbound
 * policy in force for the pod (the Sidecar's, else the mesh's). Without a Sidecar resource the pod imports
 * {@code * /*}, as istiod's default scope does.
 */
public record SidecarScope(Optional<SidecarResource> resource, String podNamespace, OutboundPolicy outboundPolicy,
                           String policySource) {

    /** The egress listeners of the pod's Sidecar resource, or the one of istiod's default scope. */
    List<EgressListener> egress() {
        return resource.isPresent() ? resource.get().egress() : EVERYTHING;
    }

    private static final List<EgressListener> EVERYTHING = List.of(EgressListener.EVERYTHING);

    /**
     * True when the pod's proxy imports a service of {@code namespace} with one of {@code hosts}, on {@code port}: an
     * egress listener that serves that port (one limited to it, or the one without a port) imports one of the hosts.
     */
    public boolean imports(String namespace, List<String> hosts, int port) {
        for (EgressListener listener : egress()) {
            if (listener.serves(port) && listener.importsAny(namespace, hosts, podNamespace)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The egress listener of the pod's Sidecar limited to {@code port}, if it has one. istiod builds that port's
     * outbound listener from it (buildSidecarOutboundListeners): every service it imports gets the listener's
     * protocol, whatever the service declares, and the catch-all listener adds nothing to that port any more.
     */
    public Optional<EgressListener> portListener(int port) {
        return egress().stream().filter(l -> l.port().isPresent() && l.port().getAsInt() == port).findFirst();
    }

    /** {@code Sidecar shop/default imports only ./*, istio-system/*}: why an object is not imported. */
    public String notImportedReason() {
        return resource.map(s -> "Sidecar " + s.ref().namespacedName() + " imports only " + s.importsText()).orElse("");
    }
}
