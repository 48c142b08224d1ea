package io.proxyguard.engine.mesh;

import java.util.Optional;

/**
 * meshConfig {@code outboundTrafficPolicy.mode}, or a Sidecar's: what a sidecar does with a destination no
 * service in its scope describes. An absent policy means {@link #ALLOW_ANY} (istiod's mesh defaults set it), but a
 * policy set without a mode is {@link #REGISTRY_ONLY}, the enum's zero value in istio/api: a mesh ConfigMap with
 * {@code outboundTrafficPolicy: {}} replaces the default (pkg/config/mesh/mesh.go: every field is an override), and
 * so does a Sidecar's. Names are matched exactly, as the Sidecar CRD's enum and istiod's YAML reader do.
 */
public enum OutboundPolicy {
    /** Unknown destinations pass through the PassthroughCluster. */
    ALLOW_ANY,
    /** Unknown destinations go to the BlackHoleCluster: the connection is dropped. */
    REGISTRY_ONLY;

    /** The policy named {@code text}, or empty when it is none of the two. */
    public static Optional<OutboundPolicy> parse(String text) {
        for (OutboundPolicy policy : values()) {
            if (policy.name().equals(text)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
