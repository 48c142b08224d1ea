package io.proxyguard.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.cluster.ClusterViewMetrics;
import io.proxyguard.cluster.ClusterWatch;
import io.proxyguard.cluster.LiveClusterView;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.webhook.ReadinessCheck;
import io.proxyguard.webhook.ServeHooks;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** How {@code serve} finds its cluster: in-cluster, a kubeconfig, or none (an empty view). */
final class ClusterOptions {

    /** Whether to keep a cluster view. */
    enum Mode { AUTO, ON, OFF }

    @Option(names = "--cluster-view", paramLabel = "MODE", defaultValue = "auto",
            description = "Keep an informer cache of what the rules read beside the object under review (ServiceEntries, "
                    + "Sidecars, Services, ConfigMaps, Namespaces, workloads): auto (when in a cluster or given --kubeconfig), "
                    + "on, off (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--cluster-view-sync-wait", paramLabel = "DURATION", defaultValue = "30s",
            converter = ProbeCommand.DurationConverter.class,
            description = "How long readiness waits for the cluster view's first lists; past it the webhook turns ready with the "
                    + "stateless rules only (degraded, said in /readyz, the log and proxyguard_cluster_view_synced) until "
                    + "they are done (default: ${DEFAULT-VALUE}).")
    Duration syncWait;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig for the cluster view (default: in-cluster).")
    Path kubeconfig;

    @Option(names = "--owner-deployment", paramLabel = "NAME",
            description = "The Deployment that runs this process, made owner of what the process creates in the cluster (the "
                    + "self-managed Secret and Lease, the audit's Lease), so that deleting it (helm uninstall) deletes them; "
                    + "without it they stay until deleted by hand.")
    String ownerDeployment;

    Optional<String> ownerDeployment() {
        return Optional.ofNullable(ownerDeployment);
    }

    /** A client for {@code kubeconfig}, or in-cluster (service account) when it is null. */
    static KubernetesClient client(Path kubeconfig) throws IOException {
        Config clientConfig = kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(Files.readString(kubeconfig));
        return new KubernetesClientBuilder().withConfig(clientConfig).build();
    }

    /**
     * The cluster {@code serve} keeps a view of, when it keeps one: the client, the view its informers feed, and
     * the hooks that plug them into the webhook.
     */
    record LiveCluster(KubernetesClient client, LiveClusterView view, ClusterWatch watch, ServeHooks hooks) {
    }

    /** Whether {@link #connect} keeps a view: asked for, or (auto) in a cluster or given a kubeconfig. */
    boolean keepsView() {
        boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;
        return mode == Mode.ON || (mode == Mode.AUTO && (kubeconfig != null || inCluster));
    }

    Optional<LiveCluster> connect(ProxyGuardConfig config, PrometheusRegistry registry) throws IOException {
        if (!keepsView()) {
            return Optional.empty();
        }
        KubernetesClient client = client(kubeconfig);
        ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cluster-view-index");
            thread.setDaemon(true);
            return thread;
        });
        LiveClusterView view = new LiveClusterView(new PolicyEngine(config).detector(), rebuilder, 100);
        ClusterWatch watch = new ClusterWatch(client, view, syncWait).start();
        ClusterViewMetrics.register(watch, registry);
        return Optional.of(new LiveCluster(client, view, watch, new ServeHooks(() -> view,
                Map.of("cluster-view", ReadinessCheck.of(watch::isReady, watch::readinessDetail)),
                List.of(engine -> view.useDetector(engine.detector())),
                List.of(watch, rebuilder::shutdownNow, client))));
    }

}
