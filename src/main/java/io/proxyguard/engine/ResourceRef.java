package io.proxyguard.engine;

/** Names one Kubernetes object: what a finding is about. The namespace is empty for cluster-scoped objects. */
public record ResourceRef(String apiVersion, String kind, String namespace, String name) {

    public ResourceRef {
        apiVersion = apiVersion == null ? "" : apiVersion;
        kind = kind == null ? "" : kind;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
    }

    /** {@code ServiceEntry istio-system/proxy}, or {@code ServiceEntry proxy} without a namespace. */
    public String display() {
        return kind + " " + namespacedName();
    }

    /** {@code istio-system/proxy}, or {@code proxy} without a namespace. */
    public String namespacedName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }
}
