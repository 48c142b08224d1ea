package io.proxyguard.audit;

import io.proxyguard.engine.Finding;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One audit run: a verdict for every object judged, in the order they were listed. */
public record AuditResult(List<ObjectVerdict> verdicts) {

    public AuditResult {
        verdicts = List.copyOf(verdicts);
    }

    public Stream<Finding> findings() {
        return verdicts.stream().flatMap(verdict -> verdict.findings().stream());
    }

    /** How many objects of each kind were judged, by kind. */
    public Map<String, Integer> objectsByKind() {
        Map<String, Integer> counts = new TreeMap<>();
        verdicts.forEach(verdict -> counts.merge(verdict.ref().kind(), 1, Integer::sum));
        return counts;
    }
}
