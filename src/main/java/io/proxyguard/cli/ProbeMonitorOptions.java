package io.proxyguard.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.probe.HostPort;
import io.proxyguard.probe.ProbeSettings;
import io.proxyguard.probe.ProxyCredentials;
import io.proxyguard.probe.ProxyHealthMonitor;
import io.proxyguard.probe.TlsTrust;
import io.proxyguard.webhook.ServeHooks;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The optional periodic probe of the configured proxies that {@code serve} exports as metrics. */
final class ProbeMonitorOptions {

    @Option(names = "--probe-interval", paramLabel = "DURATION", converter = ProbeCommand.DurationConverter.class,
            description = "Probe every configured proxy this often and export proxyguard_proxy_up (default: off).")
    Duration interval;

    @Option(names = "--probe-target", paramLabel = "HOST:PORT", converter = ProbeCommand.HostPortConverter.class,
            description = "Target to CONNECT to through each proxy (repeatable; default: " + "en.wikipedia.org:443).")
    List<HostPort> targets;

    @Option(names = "--probe-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = ProbeCommand.DurationConverter.class,
            description = "Timeout of each probe step (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--probe-ca", paramLabel = "FILE", description = "PEM CA that signs the targets' certificates (default: the JDK's).")
    Path ca;

    @Option(names = "--probe-proxy-user", paramLabel = "USER",
            description = "User for the proxies' Basic authentication; the password comes from " + ProbeCommand.PASSWORD_ENV + ".")
    String proxyUser;

    ServeHooks hooks(ProxyGuardConfig config, PrometheusRegistry registry) {
        if (interval == null || config.proxies().isEmpty()) {
            return ServeHooks.none();
        }
        ProbeSettings settings = ProbeSettings.defaults().withTimeout(timeout);
        if (targets != null && !targets.isEmpty()) {
            settings = settings.withTargets(targets);
        }
        if (ca != null) {
            settings = settings.withTargetTrust(TlsTrust.fromPemFile(ca));
        }
        if (proxyUser != null) {
            settings = settings.withCredentials(new ProxyCredentials(proxyUser, System.getenv().getOrDefault(ProbeCommand.PASSWORD_ENV, "")));
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "proxy-probe");
            thread.setDaemon(true);
            return thread;
        });
        ProxyHealthMonitor monitor = new ProxyHealthMonitor(config.proxies(), settings, interval, registry, scheduler);
        monitor.start();
        return new ServeHooks(ServeHooks.none().view(), Map.of(), List.of(), List.of(monitor, scheduler::shutdownNow));
    }
}
