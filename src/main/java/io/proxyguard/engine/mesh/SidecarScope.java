package io.proxyguard.engine.mesh;

import java.util.List;
import java.util.Optional;

/**
 * The Sidecar resource a pod's proxy uses, if any (istiod's SidecarScope): what it imports, and the outbound
 * policy in force for the pod (the Sidecar's, else the mesh's).
 */
public record SidecarScope(Optional<SidecarResource> resource, String podNamespace, OutboundPolicy outboundPolicy,
                           String policySource) {

    /** True when the pod's proxy imports a service of {@code namespace} with one of {@code hosts}, on {@code port}. */
    public boolean imports(String namespace, List<String> hosts, int port) {
        return resource.map(sidecar -> sidecar.imports(namespace, hosts, port, podNamespace)).orElse(true);
    }

    /** {@code Sidecar shop/default imports only ./*, istio-system/*}: why an object is not imported. */
    public String notImportedReason() {
        return resource.map(s -> "Sidecar " + s.ref().namespacedName() + " imports only " + s.importsText()).orElse("");
    }
}
