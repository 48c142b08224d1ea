package io.proxyguard.audit;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The background audit's Prometheus metrics, in the webhook's registry. Labels are bounded: rule IDs, the two
 * severities, the kinds ProxyGuard judges. The findings and objects gauges hold the last run's figures on the
 * replica that leads the audit; the others report none.
 */
public final class AuditMetrics {

    private final Gauge findings;
    private final Gauge lastRun;
    private final Gauge lastRunDuration;
    private final Gauge objects;
    private final Counter errors;
    private final Gauge leader;
    private final Set<List<String>> findingLabels = new HashSet<>();
    private final Set<String> objectKinds = new HashSet<>();

    public AuditMetrics(PrometheusRegistry registry) {
        findings = Gauge.builder().name("proxyguard_audit_findings")
                .help("Findings of the last background audit, by rule and severity").labelNames("rule", "severity").register(registry);
        lastRun = Gauge.builder().name("proxyguard_audit_last_run_timestamp_seconds")
                .help("When the last background audit finished, as a Unix timestamp (0: none yet on this replica)").register(registry);
        lastRunDuration = Gauge.builder().name("proxyguard_audit_last_run_duration_seconds")
                .help("How long the last background audit took, from the first list to the last report written").register(registry);
        objects = Gauge.builder().name("proxyguard_audit_objects")
                .help("Objects judged by the last background audit, by kind").labelNames("kind").register(registry);
        errors = Counter.builder().name("proxyguard_audit_errors_total")
                .help("Background audits that failed (the cluster could not be listed) and PolicyReports that could not be written")
                .register(registry);
        leader = Gauge.builder().name("proxyguard_audit_leader")
                .help("1 on the replica that runs the audit and writes the PolicyReports, 0 on the others").register(registry);
    }

    /** Records a finished run: its findings and objects replace the previous run's (a rule no longer found reads 0). */
    public synchronized void ran(AuditSummary summary, Instant finished, Duration took) {
        Map<List<String>, Integer> counts = summary.findingsByRuleAndSeverity();
        findingLabels.addAll(counts.keySet());
        findingLabels.forEach(labels -> findings.labelValues(labels.get(0), labels.get(1)).set(counts.getOrDefault(labels, 0)));
        Map<String, Integer> kinds = summary.objectsByKind();
        objectKinds.addAll(kinds.keySet());
        objectKinds.forEach(kind -> objects.labelValues(kind).set(kinds.getOrDefault(kind, 0)));
        lastRun.set(finished.toEpochMilli() / 1000.0);
        lastRunDuration.set(took.toNanos() / 1e9);
    }

    public void failed(int count) {
        errors.inc(count);
    }

    /** Leading or not; a replica that stops leading drops the last run's findings, which the new leader now reports. */
    public synchronized void leading(boolean leading) {
        leader.set(leading ? 1 : 0);
        if (!leading) {
            findings.clear();
            objects.clear();
            findingLabels.clear();
            objectKinds.clear();
        }
    }
}
