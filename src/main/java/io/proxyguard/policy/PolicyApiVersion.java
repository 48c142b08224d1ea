package io.proxyguard.policy;

/** The admissionregistration.k8s.io version to write: v1 (GA, Kubernetes 1.30+) or v1beta1 (1.28 and 1.29). */
public enum PolicyApiVersion {
    V1("admissionregistration.k8s.io/v1"),
    V1BETA1("admissionregistration.k8s.io/v1beta1");

    private final String apiVersion;

    PolicyApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String apiVersion() {
        return apiVersion;
    }
}
