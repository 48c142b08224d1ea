package io.proxyguard.webhook;

import io.proxyguard.engine.Finding;

import java.util.List;

/** A handler's answer plus what observability needs: how the review ended and which findings it raised. */
public record AdmissionResult(AdmissionResponse response, Outcome outcome, List<Finding> findings) {

    public AdmissionResult {
        findings = List.copyOf(findings);
    }

    public static AdmissionResult skipped() {
        return new AdmissionResult(AdmissionResponse.allow(), Outcome.SKIPPED, List.of());
    }
}
