package io.proxyguard.probe;

import java.time.Duration;

/** How long one step took, and whether it succeeded. */
public record StepTiming(Step step, Duration elapsed, boolean succeeded) {

    /** Milliseconds with microsecond precision, for reports. */
    public double millis() {
        return elapsed.toNanos() / 1_000_000.0;
    }
}
