package io.proxyguard.audit;

import io.proxyguard.engine.Finding;

import java.util.List;
import java.util.stream.Stream;

/** One audit run: a verdict for every object judged, in the order they were listed. */
public record AuditResult(List<ObjectVerdict> verdicts) {

    public AuditResult {
        verdicts = List.copyOf(verdicts);
    }

    public Stream<Finding> findings() {
        return verdicts.stream().flatMap(verdict -> verdict.findings().stream());
    }
}
