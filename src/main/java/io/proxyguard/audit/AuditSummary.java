package io.proxyguard.audit;

import io.proxyguard.engine.Finding;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An audit's figures, what its metrics and log line report: objects judged, by kind, and findings, by rule and
 * severity. Counted verdict by verdict ({@link Tally}), so a run that streams its verdicts need not keep them.
 */
public record AuditSummary(int objects, Map<String, Integer> objectsByKind, int findings, Map<List<String>, Integer> findingsByRuleAndSeverity) {

    public AuditSummary {
        objectsByKind = Map.copyOf(objectsByKind);
        findingsByRuleAndSeverity = Map.copyOf(findingsByRuleAndSeverity);
    }

    /** Counts the verdicts it is handed. */
    public static final class Tally implements Consumer<ObjectVerdict> {

        private int objects;
        private int findings;
        private final Map<String, Integer> objectsByKind = new HashMap<>();
        private final Map<List<String>, Integer> findingsByRuleAndSeverity = new HashMap<>();

        @Override
        public void accept(ObjectVerdict verdict) {
            objects++;
            objectsByKind.merge(verdict.ref().kind(), 1, Integer::sum);
            for (Finding finding : verdict.findings()) {
                findings++;
                findingsByRuleAndSeverity.merge(List.of(finding.ruleId(), finding.severity().label()), 1, Integer::sum);
            }
        }

        public AuditSummary summary() {
            return new AuditSummary(objects, objectsByKind, findings, findingsByRuleAndSeverity);
        }
    }
}
