package io.proxyguard.webhook;

import io.proxyguard.probe.ProbeDurations;

import java.time.Duration;

/**
 * How long a review may wait for a free slot: half of the time its caller waits for the answer. The API server
 * sends the webhook's {@code timeoutSeconds} with every call as the query parameter {@code timeout} (client-go's
 * {@code Request.Timeout} puts it there: {@code /validate?timeout=5s}); without one, its default of 10 s applies.
 * The other half is left for the review itself and the way back: the slowest review answered in a burst of 512
 * concurrent ones took a few hundred milliseconds on a warm 2-core replica (docs/reliability.md), so what has
 * waited half the timeout can no longer be answered well inside it, and is refused instead.
 */
final class WaitBudget {

    /** The API server's default {@code timeoutSeconds}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The API server allows {@code timeoutSeconds} up to 30; a longer {@code timeout} parameter is not its. */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    private WaitBudget() {
    }

    /** The timeout the caller announced in {@code timeout} (e.g. {@code 5s}), or the default when absent or unreadable. */
    static Duration callerTimeout(String timeoutParameter) {
        if (timeoutParameter == null || timeoutParameter.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            Duration timeout = ProbeDurations.parse(timeoutParameter);
            return timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : timeout;
        } catch (IllegalArgumentException e) {
            return DEFAULT_TIMEOUT;
        }
    }

    /** How long a review whose caller announced {@code timeoutParameter} may wait for a slot. */
    static Duration of(String timeoutParameter) {
        return callerTimeout(timeoutParameter).dividedBy(2);
    }
}
