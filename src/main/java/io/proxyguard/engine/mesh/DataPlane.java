package io.proxyguard.engine.mesh;

/** What carries a pod's outbound traffic in the mesh. */
public enum DataPlane {
    /** An injected Envoy sidecar: ServiceEntries, exportTo, Sidecar resources and the outbound policy apply. */
    SIDECAR,
    /** Ambient mode: ztunnel, L4 only; it ignores exportTo and REGISTRY_ONLY, so the sidecar rules do not apply. */
    AMBIENT,
    /** No sidecar and not ambient: the pod reaches the proxy directly. */
    NONE
}
