package io.proxyguard.probe;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.proxyguard.config.ProxyDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Probes the configured proxies periodically and exports the outcome on a Prometheus registry, so that a
 * dashboard shows the proxy's health beside the webhook's:
 * <ul>
 *   <li>{@code proxyguard_proxy_up{proxy}}: 1 when every target passed through the proxy in the last round, else 0;</li>
 *   <li>{@code proxyguard_proxy_probe_duration_seconds{proxy}}: how long the last round took for that proxy;</li>
 *   <li>{@code proxyguard_proxy_probe_failures_total{proxy,diagnosis}}: failed probes by {@link Diagnosis#code()}.</li>
 * </ul>
 * The scheduler belongs to the caller: {@link #close()} cancels this monitor's task and removes its metrics,
 * but does not shut the scheduler down. Rounds never overlap (fixed delay), and a state change is logged.
 */
public final class ProxyHealthMonitor implements AutoCloseable {

    public static final String UP = "proxyguard_proxy_up";
    public static final String DURATION = "proxyguard_proxy_probe_duration_seconds";
    public static final String FAILURES = "proxyguard_proxy_probe_failures_total";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyHealthMonitor.class);

    private final List<ProbedProxy> proxies;
    private final ProbeSettings settings;
    private final Duration interval;
    private final PrometheusRegistry registry;
    private final ScheduledExecutorService scheduler;
    private final ProxyProber prober;
    private final Gauge up;
    private final Gauge duration;
    private final Counter failures;
    private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();
    private ScheduledFuture<?> task;

    public ProxyHealthMonitor(List<ProxyDefinition> proxies, ProbeSettings settings, Duration interval,
                              PrometheusRegistry registry, ScheduledExecutorService scheduler) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("probe interval must be positive");
        }
        this.proxies = proxies.stream().map(ProbedProxy::of).toList();
        this.settings = settings;
        this.interval = interval;
        this.registry = registry;
        this.scheduler = scheduler;
        this.prober = new ProxyProber(settings);
        this.up = Gauge.builder().name(UP)
                .help("1 when the last probe through the proxy reached every target (CONNECT and TLS handshake), else 0")
                .labelNames("proxy").build();
        this.duration = Gauge.builder().name(DURATION).unit(Unit.SECONDS)
                .help("Time the last probe round through the proxy took, all targets together")
                .labelNames("proxy").build();
        this.failures = Counter.builder().name(FAILURES)
                .help("Failed probes through the proxy, by diagnosis")
                .labelNames("proxy", "diagnosis").build();
    }

    /** Registers the metrics and schedules the rounds, the first one at once. */
    public synchronized void start() {
        if (task != null) {
            throw new IllegalStateException("already started");
        }
        registry.register(up);
        registry.register(duration);
        registry.register(failures);
        task = scheduler.scheduleWithFixedDelay(this::probeRound, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round over every proxy; never throws, so the schedule survives anything a probe meets. */
    void probeRound() {
        for (ProbedProxy proxy : proxies) {
            try {
                List<ProbeResult> results = settings.targets().stream().map(target -> prober.probe(proxy, target)).toList();
                boolean allPassed = results.stream().allMatch(ProbeResult::passed);
                up.labelValues(proxy.name()).set(allPassed ? 1 : 0);
                double seconds = results.stream().mapToLong(r -> r.elapsed().toNanos()).sum() / 1e9;
                duration.labelValues(proxy.name()).set(seconds);
                results.stream().filter(r -> !r.passed())
                        .forEach(r -> failures.labelValues(proxy.name(), r.diagnosis().code()).inc());
                logChange(proxy, allPassed, results);
            } catch (RuntimeException e) {
                up.labelValues(proxy.name()).set(0);
                LOG.error("probe of {} failed unexpectedly: {}", proxy.display(), settings.redact(String.valueOf(e)));
            }
        }
    }

    private void logChange(ProbedProxy proxy, boolean allPassed, List<ProbeResult> results) {
        Boolean before = lastUp.put(proxy.name(), allPassed);
        if (before != null && before == allPassed) {
            return;
        }
        if (allPassed) {
            LOG.info("proxy {} is up: {} target(s) reached", proxy.display(), results.size());
        } else {
            results.stream().filter(r -> !r.passed()).forEach(r -> LOG.warn("proxy {} is down for {}: {}",
                    proxy.display(), r.target(), settings.redact(r.diagnosis().message())));
        }
    }

    /** Stops the rounds (a round in progress finishes) and removes this monitor's metrics from the registry. */
    @Override
    public synchronized void close() {
        if (task == null) {
            return;
        }
        task.cancel(false);
        registry.unregister(up);
        registry.unregister(duration);
        registry.unregister(failures);
        task = null;
    }
}
