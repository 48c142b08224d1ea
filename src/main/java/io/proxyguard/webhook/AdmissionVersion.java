package io.proxyguard.webhook;

import java.util.Arrays;
import java.util.Optional;

/** The AdmissionReview API versions the API server may send; the answer is written in the request's own. */
public enum AdmissionVersion {
    V1("admission.k8s.io/v1"),
    V1BETA1("admission.k8s.io/v1beta1");

    private final String apiVersion;

    AdmissionVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public static Optional<AdmissionVersion> of(String apiVersion) {
        return Arrays.stream(values()).filter(v -> v.apiVersion.equals(apiVersion)).findFirst();
    }
}
