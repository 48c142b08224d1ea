package io.proxyguard.leader;

import java.time.Duration;

/**
 * How the replicas elect the one that writes (client-go's leader election terms).
 *
 * @param leaseDuration how long a lease holds without renewal before another replica may take it
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
 * @param retryPeriod   how often candidates try to acquire, and the leader renews
 */
public record ElectionTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    /** client-go's defaults: 15 s, 10 s, 2 s. */
    public static final ElectionTimings DEFAULT = new ElectionTimings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

    public ElectionTimings {
        if (retryPeriod.isNegative() || retryPeriod.isZero()) {
            throw new IllegalArgumentException("the retry period must be positive");
        }
        if (renewDeadline.compareTo(retryPeriod) <= 0 || leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("leader election needs leaseDuration > renewDeadline > retryPeriod, got "
                    + leaseDuration + ", " + renewDeadline + ", " + retryPeriod);
        }
    }
}
