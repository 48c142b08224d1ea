package io.proxyguard.engine.mesh;

import java.util.Locale;
import java.util.Optional;

/**
 * meshConfig {@code outboundTrafficPolicy.mode}, or a Sidecar's: what a sidecar does with a destination no
 * service in its scope describes. Absent means {@link #ALLOW_ANY} (istio/api's enum has REGISTRY_ONLY as its
 * zero value, but istiod's mesh defaults set ALLOW_ANY, so absence must never be read as zero).
 */
public enum OutboundPolicy {
    /** Unknown destinations pass through the PassthroughCluster. */
    ALLOW_ANY,
    /** Unknown destinations go to the BlackHoleCluster: the connection is dropped. */
    REGISTRY_ONLY;

    /** The policy named {@code text} (any case), or empty when it is none of the two. */
    public static Optional<OutboundPolicy> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String upper = text.trim().toUpperCase(Locale.ROOT);
        for (OutboundPolicy policy : values()) {
            if (policy.name().equals(upper)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
