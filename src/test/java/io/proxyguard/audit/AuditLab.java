package io.proxyguard.audit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.cluster.ClusterReader;
import io.proxyguard.cluster.ClusterWatch;
import io.proxyguard.cluster.LiveClusterView;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.leader.ElectionTimings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replica's background audit on a (mock) cluster, wired as {@code serve} wires it: informers feeding a live view,
 * the audit told of every rebuild, its own registry. Short election timings and change delay, a long interval: runs
 * in a test come from changes, as they would soon after an edit in a real cluster.
 */
final class AuditLab implements AutoCloseable {

    static final String NAMESPACE = "proxyguard";
    /** The Deployment the replicas' Lease is made owned by (when it exists in the cluster). */
    static final String DEPLOYMENT = "proxyguard-audit";
    static final ElectionTimings FAST_ELECTION = new ElectionTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));

    final PrometheusRegistry registry = new PrometheusRegistry();
    final BackgroundAudit audit;
    private final ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor();
    private final ClusterWatch watch;

    AuditLab(KubernetesClient client, String identity) {
        this(client, identity, Duration.ofMillis(100), () -> true);
    }

    /** A replica whose view counts as synced only once its informers have listed and {@code alsoReady} holds. */
    AuditLab(KubernetesClient client, String identity, Duration changeDelay, java.util.function.BooleanSupplier alsoReady) {
        PolicyEngine engine = new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n"));
        LiveClusterView view = new LiveClusterView(engine.detector(), rebuilder, 10);
        watch = new ClusterWatch(client, view).start();
        ClusterReader reader = new ClusterReader(client);
        AuditSettings settings = new AuditSettings(Duration.ofHours(1), changeDelay, NAMESPACE, AuditSettings.DEFAULT_LEASE,
                identity, FAST_ELECTION, Optional.of(DEPLOYMENT));
        audit = BackgroundAudit.start(client, engine, view, () -> watch.hasSynced() && alsoReady.getAsBoolean(), pages -> reader.forEachCheckedPage(Optional.empty(), pages),
                new AuditMetrics(registry), settings, Clock.systemUTC());
        view.onRebuilt(audit::viewChanged);
    }

    /** The value of one sample ({@code name} with its labels as exposed, e.g. {@code proxyguard_audit_leader}), 0 when absent. */
    double metric(String sample) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(out.toString(StandardCharsets.UTF_8));
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** The PolicyReports in {@code namespace}, any source. */
    static List<GenericKubernetesResource> reports(KubernetesClient client, String namespace) {
        return client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS).inNamespace(namespace).list().getItems();
    }

    @Override
    public void close() {
        audit.close();
        watch.close();
        rebuilder.shutdownNow();
    }
}
