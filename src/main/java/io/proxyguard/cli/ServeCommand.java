package io.proxyguard.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.certmanager.SelfManagedSettings;
import io.proxyguard.config.ConfigException;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.probe.ProbeDurations;
import io.proxyguard.tls.TlsMaterialException;
import io.proxyguard.webhook.BatchedStderr;
import io.proxyguard.webhook.ServeHooks;
import io.proxyguard.webhook.ServeSettings;
import io.proxyguard.webhook.ShutdownSignals;
import io.proxyguard.webhook.WebhookServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code proxyguard serve}: the admission webhook. All options are read here and nowhere else, into one
 * {@link ServeSettings}; a new option is an {@code @Option} field plus a component of that record.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the rules as a Kubernetes admission webhook: POST /mutate and /validate over HTTPS,",
                "/healthz, /readyz and /metrics over plain HTTP on the metrics port.",
                "Certificate and config files are reloaded when they change; with --certificates self-managed the",
                "replicas keep their certificate in a Secret and renew it themselves. SIGTERM drains, then stops gracefully (exit 0)."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address both ports listen on (default: ${DEFAULT-VALUE}).")
    private String bindAddress;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8443",
            description = "HTTPS port of the webhook (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    private int port;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Plain-HTTP port for /healthz, /readyz and /metrics (default: ${DEFAULT-VALUE}).")
    private int metricsPort;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM serving certificate (leaf first, then any chain), e.g. a mounted Secret's tls.crt.")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
    private Path tlsKey;

    @Option(names = "--certs-dir", paramLabel = "DIR", defaultValue = "certs",
            description = "Without --tls-cert: where a local CA and a localhost certificate are created and reused (default: ${DEFAULT-VALUE}).")
    private Path certsDir;

    @Option(names = "--reload-interval", paramLabel = "DURATION", defaultValue = "2s", converter = ProbeCommand.DurationConverter.class,
            description = "How often certificate and config files are checked for changes, e.g. 500ms, 2s (default: ${DEFAULT-VALUE}).")
    private Duration reloadInterval;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "20s", converter = ProbeCommand.DurationConverter.class,
            description = "How long reviews in flight may take to finish after SIGTERM (default: ${DEFAULT-VALUE}).")
    private Duration shutdownTimeout;

    @Option(names = "--shutdown-delay", paramLabel = "DURATION", defaultValue = "5s", converter = ProbeCommand.DurationOrZeroConverter.class,
            description = {"After SIGTERM, keep answering every review this long while /readyz fails, HTTP/2 clients get a GOAWAY "
                    + "and HTTP/1.1 answers close their connection, so that the Service and load balancers move clients to "
                    + "other replicas before the port closes; a second signal ends it at once, Ctrl-C (SIGINT) skips it, "
                    + "0 turns it off (default: ${DEFAULT-VALUE})."})
    private Duration shutdownDelay;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = ProbeCommand.DurationConverter.class,
            description = "Close a webhook connection silent for this long, also in the middle of a request (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(names = "--max-concurrent-reviews", paramLabel = "N", defaultValue = "64",
            description = "Requests handled at once on the webhook port; more wait in line as long as they can still be answered "
                    + "in time (half the timeout the API server sends), then get 429 with Retry-After (default: ${DEFAULT-VALUE}).")
    private int maxConcurrentReviews;

    @Option(names = "--log-flush-frequency", paramLabel = "DURATION", defaultValue = "100ms", converter = ProbeCommand.DurationOrZeroConverter.class,
            description = "Longest time a log line waits in a buffer before it is written to stderr, as Kubernetes' "
                    + "components do; 0 writes every line at once, a system call per review (default: ${DEFAULT-VALUE}).")
    private Duration logFlushFrequency;

    @Option(names = "--operation", paramLabel = "OPERATION", split = ",", defaultValue = "webhook,audit",
            description = {"What this process does, comma-separated: webhook (the admission webhook on --port), audit (the "
                    + "background audit, see --audit-interval). A process with audit only opens no webhook port and needs no "
                    + "certificate: the chart runs it as a Deployment of its own, so that an audit never slows reviews "
                    + "(default: ${DEFAULT-VALUE})."})
    private Set<ServeOperation> operations;

    @Option(names = "--client-ca", paramLabel = "FILE",
            description = "PEM CA certificate(s): require a client certificate signed by one of them on the webhook port (the API server's).")
    private Path clientCa;

    /** The options as one value; throws IllegalArgumentException naming the option when they do not fit together. */
    public ServeSettings settings() {
        return new ServeSettings(Optional.ofNullable(config.file()), bindAddress, port, metricsPort,
                Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey), certsDir, reloadInterval, shutdownTimeout,
                idleTimeout, maxConcurrentReviews, Optional.ofNullable(clientCa), operations.contains(ServeOperation.WEBHOOK));
    }

    @Mixin
    private ClusterOptions cluster;

    @Mixin
    private AuditOptions audit;

    @Mixin
    private ProbeMonitorOptions probes;

    @Mixin
    private CertificateOptions certificates;

    /**
     * Refuses, before anything starts, the combinations of {@code --operation} and other options that would leave a
     * process with nothing to do or an option without effect.
     */
    private void requireSomethingToDo(ServeSettings settings, Optional<SelfManagedSettings> selfManaged) {
        if (settings.servesWebhook()) {
            return;
        }
        if (selfManaged.isPresent()) {
            throw new IllegalArgumentException("--certificates self-managed keeps the webhook's certificate: it needs --operation webhook");
        }
        if (!operations.contains(ServeOperation.AUDIT)) {
            throw new IllegalArgumentException("--operation needs webhook, audit or both");
        }
        if (audit.interval.isZero()) {
            throw new IllegalArgumentException("--operation audit with --audit-interval 0 has nothing to do");
        }
        if (!cluster.keepsView()) {
            throw new IllegalArgumentException("--operation audit judges the cluster: it needs a cluster view "
                    + "(run it in a cluster or give --kubeconfig, and leave --cluster-view on or auto)");
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        ServeSettings settings;
        Optional<SelfManagedSettings> selfManaged;
        try {
            settings = settings();
            selfManaged = certificates.settings(settings.tlsCertificate().isPresent(), cluster.ownerDeployment());
            requireSomethingToDo(settings, selfManaged);
        } catch (IllegalArgumentException e) {
            return usageError(err, e);
        }
        // Before start: a SIGTERM during startup is then handled as a graceful stop once started.
        ShutdownSignals signals = ShutdownSignals.install();
        WebhookServer server;
        PrometheusRegistry registry = new PrometheusRegistry();
        try {
            boolean audits = operations.contains(ServeOperation.AUDIT);
            ProxyGuardConfig initial = config.load();
            Optional<ClusterOptions.LiveCluster> live = cluster.connect(initial, registry);
            // The audit's hooks after the view's: on stop, the audit (and its Lease) goes before the client it uses.
            ServeHooks clusterHooks = live.map(c -> ServeHooks.combine(audit.hooks(c, initial, registry, audits, cluster.ownerDeployment()), c.hooks()))
                    .orElseGet(ServeHooks::none);
            ServeHooks hooks = ServeHooks.combine(clusterHooks,
                    ServeHooks.combine(probes.hooks(initial, registry), certificates.hooks(selfManaged, cluster.kubeconfig, registry)));
            server = WebhookServer.start(settings, hooks, registry);
        } catch (IllegalArgumentException | IllegalStateException | ConfigException | TlsMaterialException | IOException
                 | io.fabric8.kubernetes.client.KubernetesClientException e) {
            return usageError(err, e);
        }
        // Only once serving: a failed start leaves stderr as it was, and its message needs no ordering.
        Optional<BatchedStderr> batchedLog = BatchedStderr.install(logFlushFrequency);
        String signal = signals.await();
        batchedLog.ifPresent(BatchedStderr::writeOutNow);
        boolean drain = !shutdownDelay.isZero() && !"SIGINT".equals(signal);
        err.println("proxyguard: " + signal + " received, " + (drain ? "draining for " + ProbeDurations.format(shutdownDelay)
                + " (reviews are answered, /readyz fails, clients are sent elsewhere; another signal stops at once), then " : "")
                + "stopping (reviews in flight may take up to " + ProbeDurations.format(shutdownTimeout) + ")");
        err.flush();
        if (drain) {
            server.drain();
            if (signals.awaitAnother(shutdownDelay)) {
                err.println("proxyguard: second signal received, stopping now");
                err.flush();
            }
        }
        server.stop();
        return Main.EXIT_OK;
    }

    private static int usageError(PrintWriter err, Exception e) {
        err.println("proxyguard: " + e.getMessage());
        err.flush();
        return Main.EXIT_USAGE;
    }
}
