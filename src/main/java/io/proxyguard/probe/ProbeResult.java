package io.proxyguard.probe;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of probing one target through one proxy: each step's timing, the proxy's answer to CONNECT
 * and the target's certificate when the probe got that far, and the {@link Diagnosis}.
 */
public record ProbeResult(
        ProbedProxy proxy,
        HostPort target,
        List<StepTiming> steps,
        Optional<ConnectAnswer> answer,
        Optional<CertificateSummary> certificate,
        Diagnosis diagnosis) {

    public ProbeResult {
        steps = List.copyOf(steps);
    }

    public boolean passed() {
        return diagnosis.passed();
    }

    /** The time of all steps together. */
    public Duration elapsed() {
        return steps.stream().map(StepTiming::elapsed).reduce(Duration.ZERO, Duration::plus);
    }
}
