package io.proxyguard.engine.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Sidecar resource a pod's proxy uses, if any (istiod's SidecarScope): what it imports, and the outbound
 * policy in force for the pod (the Sidecar's, else the mesh's). Without a Sidecar resource the pod imports
 * {@code * /*}, as istiod's default scope does.
 */
public record SidecarScope(Optional<SidecarResource> resource, String podNamespace, OutboundPolicy outboundPolicy,
                           String policySource) {

    /**
     * The egress listeners that serve destination port {@code port}: those limited to that port, and the one
     * without a port. (A listener limited to another port never carries it.)
     */
    public List<EgressListener> listenersFor(int port) {
        if (resource.isEmpty()) {
            return List.of(EgressListener.EVERYTHING);
        }
        List<EgressListener> serving = new ArrayList<>(2);
        for (EgressListener listener : resource.get().egress()) {
            if (listener.serves(port)) {
                serving.add(listener);
            }
        }
        return serving;
    }

    /** True when the pod's proxy imports a service of {@code namespace} with one of {@code hosts}, on {@code port}. */
    public boolean imports(String namespace, List<String> hosts, int port) {
        for (EgressListener listener : listenersFor(port)) {
            for (String host : hosts) {
                if (listener.imports(namespace, host, podNamespace)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code Sidecar shop/default imports only ./*, istio-system/*}: why an object is not imported. */
    public String notImportedReason() {
        return resource.map(s -> "Sidecar " + s.ref().namespacedName() + " imports only " + s.importsText()).orElse("");
    }
}
