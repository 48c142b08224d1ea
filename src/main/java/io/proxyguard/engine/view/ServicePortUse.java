package io.proxyguard.engine.view;

import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.mesh.ExportTo;

/**
 * A Kubernetes Service port as Istio reads its protocol (appProtocol, else the name's prefix), with the
 * Service's {@code networking.istio.io/exportTo} annotation and its host name (what Sidecar egress hosts match).
 */
public record ServicePortUse(ResourceRef service, int port, String portName, String protocol, ExportTo exportTo) {

    /** {@code name.namespace.svc.cluster.local} (ProxyGuard assumes the default cluster domain). */
    public String host() {
        return service.name() + "." + service.namespace() + ".svc.cluster.local";
    }
}
