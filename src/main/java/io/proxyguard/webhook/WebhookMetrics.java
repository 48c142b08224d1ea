package io.proxyguard.webhook;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.PolicyEngine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The webhook's Prometheus metrics, registered in the registry it is given (tests get their own). Every
 * label has a bounded set of values: webhook path, a kind that is one ProxyGuard checks or {@code other},
 * the four operations, the outcomes, rule IDs and severities. Never a namespace or object name.
 */
public final class WebhookMetrics {

    static final String UNKNOWN = "unknown";
    static final String OTHER = "other";

    private final Counter requests;
    private final Histogram duration;
    private final Counter findings;
    private final Gauge inFlight;
    private final Gauge certificateExpiry;
    private final Counter certificateReloads;
    private final Counter configReloads;
    private final Gauge configLastReloadSuccessful;
    private volatile IntSupplier waiting = () -> 0;

    public WebhookMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("proxyguard_admission_requests_total")
                .help("Admission requests by webhook, object kind, operation and outcome")
                .labelNames("webhook", "kind", "operation", "outcome").register(registry);
        duration = Histogram.builder().name("proxyguard_admission_duration_seconds")
                .help("Time from request received to answer written, by webhook")
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("webhook").register(registry);
        findings = Counter.builder().name("proxyguard_admission_findings_total")
                .help("Findings raised by admission reviews, by webhook, rule and severity")
                .labelNames("webhook", "rule", "severity").register(registry);
        inFlight = Gauge.builder().name("proxyguard_admission_in_flight_requests")
                .help("Admission requests being handled right now").labelNames("webhook").register(registry);
        certificateExpiry = Gauge.builder().name("proxyguard_tls_certificate_expiry_timestamp_seconds")
                .help("notAfter of the serving certificate in use, as a Unix timestamp").register(registry);
        certificateReloads = Counter.builder().name("proxyguard_tls_certificate_reloads_total")
                .help("Reloads of the serving certificate files after a change on disk, by result")
                .labelNames("result").register(registry);
        configReloads = Counter.builder().name("proxyguard_config_reloads_total")
                .help("Reloads of the configuration file after a change on disk, by result")
                .labelNames("result").register(registry);
        configLastReloadSuccessful = Gauge.builder().name("proxyguard_config_last_reload_successful")
                .help("1 when the configuration file was last read successfully, 0 when its current content was refused")
                .register(registry);
        configLastReloadSuccessful.set(1);
        GaugeWithCallback.builder().name("proxyguard_admission_waiting_requests")
                .help("Admission requests waiting for a free slot (the concurrency cap is reached)")
                .callback(callback -> callback.call(waiting.getAsInt())).register(registry);
    }

    /** Where {@code proxyguard_admission_waiting_requests} is read from: the webhook port's {@link AdmissionQueue}. */
    void waitingFrom(IntSupplier waiting) {
        this.waiting = waiting;
    }

    /**
     * Records a request refused before it was read ({@link AdmissionQueue}): counted with the reviews, as
     * {@code outcome="refused"} and an {@code unknown} kind and operation, so that one query over
     * {@code proxyguard_admission_requests_total} sees every answer that was not a review.
     */
    public void refused(String webhook) {
        requests.labelValues(webhook, UNKNOWN, UNKNOWN, Outcome.REFUSED.label()).inc();
    }

    /** Records one answered review ({@code request} is null when the body could not be read). */
    public void review(String webhook, AdmissionRequest request, Outcome outcome, List<Finding> raised, Duration elapsed) {
        String kind = request == null ? UNKNOWN : (PolicyEngine.CHECKED_KINDS.contains(request.kind()) ? request.kind() : OTHER);
        String operation = request == null ? UNKNOWN : request.operation().name();
        requests.labelValues(webhook, kind, operation, outcome.label()).inc();
        duration.labelValues(webhook).observe(elapsed.toNanos() / 1e9);
        raised.forEach(f -> findings.labelValues(webhook, f.ruleId(), f.severity().label()).inc());
    }

    public void requestStarted(String webhook) {
        inFlight.labelValues(webhook).inc();
    }

    public void requestFinished(String webhook) {
        inFlight.labelValues(webhook).dec();
    }

    public void certificateInUse(Instant notAfter) {
        certificateExpiry.set(notAfter.getEpochSecond());
    }

    public void certificateReload(boolean success) {
        certificateReloads.labelValues(success ? "success" : "failure").inc();
    }

    public void configReload(boolean success) {
        configReloads.labelValues(success ? "success" : "failure").inc();
        configLastReloadSuccessful.set(success ? 1 : 0);
    }
}
