package io.proxyguard.report;

import io.proxyguard.engine.Severity;

import java.util.List;

/** Everything one validation run found, ready to render in any format. */
public record ValidationReport(List<Located> findings, List<InputError> errors, List<SkippedInput> skipped, int objects,
                               int fixed) {

    public ValidationReport {
        findings = List.copyOf(findings);
        errors = List.copyOf(errors);
        skipped = List.copyOf(skipped);
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.finding().severity() == severity).count();
    }

    /** True when some finding is at {@code failOn} or above. */
    public boolean fails(Severity failOn) {
        return findings.stream().anyMatch(f -> f.finding().severity().reaches(failOn));
    }
}
