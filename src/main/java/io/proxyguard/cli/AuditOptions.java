package io.proxyguard.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.audit.AuditMetrics;
import io.proxyguard.audit.AuditSettings;
import io.proxyguard.audit.BackgroundAudit;
import io.proxyguard.cluster.ClusterReader;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.leader.ElectionTimings;
import io.proxyguard.webhook.ServeHooks;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code serve}'s background audit: how often, and under which Lease the replicas elect the one that runs it. */
final class AuditOptions {

    @Option(names = "--audit-interval", paramLabel = "DURATION", defaultValue = "5m", converter = ProbeCommand.DurationOrZeroConverter.class,
            description = {"With a cluster view: how often the replica that leads the audit judges every ServiceEntry and workload "
                    + "in the cluster and writes the results to PolicyReports (when their CRDs exist) and metrics; a change in "
                    + "the cluster brings the next audit forward (30 s after it). 0 turns the audit off (default: ${DEFAULT-VALUE})."})
    Duration interval;

    @Option(names = "--audit-lease", paramLabel = "NAME", defaultValue = AuditSettings.DEFAULT_LEASE,
            description = "The Lease the replicas elect the audit's leader with, in $" + CertificateOptions.NAMESPACE_ENV
                    + ", else the kubeconfig's namespace, else default (default: ${DEFAULT-VALUE}).")
    String lease;

    /** The audit's hooks on {@code cluster}'s view, or none when it is off (0, or not among the process's operations). */
    ServeHooks hooks(ClusterOptions.LiveCluster cluster, ProxyGuardConfig initial, PrometheusRegistry registry, boolean audits,
                     Optional<String> ownerDeployment) {
        if (!audits || interval.isZero()) {
            return ServeHooks.withView(cluster::view);
        }
        String namespace = Optional.ofNullable(System.getenv(CertificateOptions.NAMESPACE_ENV)).filter(ns -> !ns.isBlank())
                .or(() -> Optional.ofNullable(cluster.client().getNamespace())).orElse("default");
        AuditSettings settings = new AuditSettings(interval, AuditSettings.DEFAULT_CHANGE_DELAY, namespace, lease,
                CertificateOptions.identity(), ElectionTimings.DEFAULT, ownerDeployment);
        ClusterReader reader = new ClusterReader(cluster.client());
        BackgroundAudit audit = BackgroundAudit.start(cluster.client(), new PolicyEngine(initial), cluster.view(), cluster.watch()::hasSynced,
                pages -> {
                    // ServiceEntries as the view keeps them (spec whole): listing them again would allocate every entry
                    // anew on each run, and under the chart's SerialGC that garbage is paid for in review latency
                    pages.accept(cluster.view().serviceEntries());
                    reader.forEachWorkloadPage(Optional.empty(), pages);
                }, new AuditMetrics(registry), settings, Clock.systemUTC());
        cluster.view().onRebuilt(audit::viewChanged);
        return new ServeHooks(cluster::view, Map.of(), List.of(audit::useEngine), List.of(audit));
    }
}
