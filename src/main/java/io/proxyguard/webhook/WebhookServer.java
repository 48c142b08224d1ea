package io.proxyguard.webhook;

import io.javalin.Javalin;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.config.ConfigException;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.tls.CertificateFiles;
import io.proxyguard.tls.LocalCertificates;
import io.proxyguard.tls.TlsMaterialException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code proxyguard serve} as an object: the admission webhook on its TLS port, health and metrics on the
 * plain port, and the watchers that reload the certificate and the configuration when their files change
 * (or, with a {@link CertificateFeed} in the hooks, the certificates it hands over in memory).
 * The engine sits in an {@link AtomicReference} so a reload swaps it between two reviews; the cluster view
 * and the rest come from {@link ServeHooks} (an informer-backed view in a cluster, {@link ClusterView#EMPTY} without).
 */
public final class WebhookServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    private final Optional<WebhookApp> webhook;
    private final Javalin health;
    private final Readiness readiness;
    private final Optional<ServingCertificate> certificate;
    private final List<FileWatcher> watchers;
    private final List<AutoCloseable> resources;

    private WebhookServer(Optional<WebhookApp> webhook, Javalin health, Readiness readiness, Optional<ServingCertificate> certificate,
                          List<FileWatcher> watchers, List<AutoCloseable> resources) {
        this.webhook = webhook;
        this.health = health;
        this.readiness = readiness;
        this.certificate = certificate;
        this.watchers = watchers;
        this.resources = resources;
    }

    /**
     * Loads the configuration and the certificate (creating a local one when none is given), starts both
     * servers and the file watchers. Without {@link ServeSettings#servesWebhook()}: no certificate and no webhook
     * port, only the metrics port and the configuration watcher (a process that only audits).
     *
     * @throws ConfigException      when the configuration file does not load
     * @throws TlsMaterialException when the certificate or key does not load
     * @throws IOException          when the local certificate cannot be written
     */
    public static WebhookServer start(ServeSettings settings, ServeHooks hooks, PrometheusRegistry registry)
            throws ConfigException, TlsMaterialException, IOException {
        if (!settings.servesWebhook() && hooks.certificates().isPresent()) {
            throw new IllegalArgumentException("a certificate feed without the webhook port: nothing would serve it");
        }
        WebhookMetrics metrics = new WebhookMetrics(registry);
        AtomicReference<PolicyEngine> engine = new AtomicReference<>(new PolicyEngine(loadConfig(settings)));
        Optional<ServingCertificate> certificate = !settings.servesWebhook() ? Optional.empty()
                : Optional.of(hooks.certificates().isPresent() ? ServingCertificate.inMemory(metrics) : fromFiles(settings, metrics));

        Readiness readiness = new Readiness();
        certificate.ifPresent(served -> readiness.check("tls-certificate", () -> served.isUsable(Clock.systemUTC().instant())));
        readiness.check("config", () -> engine.get() != null);
        hooks.readinessChecks().forEach(readiness::check);

        Optional<WebhookApp> webhook = certificate.isPresent()
                ? Optional.of(webhookApp(settings, hooks, engine, certificate.get(), metrics)) : Optional.empty();
        Javalin health = HealthApp.create(readiness, registry, settings);
        List<FileWatcher> watchers = new ArrayList<>();
        try {
            webhook.ifPresent(app -> app.javalin().start());
            health.start();
            certificate.filter(served -> !served.files().isEmpty()).ifPresent(served ->
                    watchers.add(FileWatcher.start("tls", served.files(), settings.reloadInterval(), served::reload)));
            certificate.ifPresent(served -> hooks.certificates().ifPresent(feed -> feed.subscribe(next -> served.use(next, feed.origin()))));
            settings.configFile().ifPresent(file -> watchers.add(FileWatcher.start("config", List.of(file),
                    settings.reloadInterval(), new ConfigReloader(file, engine, metrics, hooks.configListeners())::reload)));
        } catch (RuntimeException e) {
            // Nothing was served yet: no grace to give, so no waiting for connections that probes or load
            // balancers may already have opened (a graceful stop would wait for them up to --shutdown-timeout).
            watchers.forEach(FileWatcher::close);
            webhook.ifPresent(app -> abandon(app.javalin()));
            abandon(health);
            closeAll(hooks.resources());
            throw e;
        }
        if (webhook.isPresent()) {
            LOG.info("admission webhook listening on https://{}:{}/mutate and /validate; health and metrics on http://{}:{}",
                    settings.bindAddress(), webhook.get().javalin().port(), settings.bindAddress(), health.port());
        } else {
            LOG.info("no webhook port (--operation without webhook); health and metrics on http://{}:{}",
                    settings.bindAddress(), health.port());
        }
        return new WebhookServer(webhook, health, readiness, certificate, List.copyOf(watchers), hooks.resources());
    }

    /** The admission endpoints on the TLS port, judging with the engine in force against the hooks' view. */
    private static WebhookApp webhookApp(ServeSettings settings, ServeHooks hooks, AtomicReference<PolicyEngine> engine,
                                         ServingCertificate certificate, WebhookMetrics metrics) throws TlsMaterialException {
        Evaluator evaluator = new Evaluator(engine::get, hooks.view());
        AdmissionJson json = new AdmissionJson();
        ReviewLog log = new ReviewLog();
        Map<String, AdmissionHandler> handlers = new LinkedHashMap<>();
        handlers.put("mutate", new MutatingHandler(evaluator));
        handlers.put("validate", new ValidatingHandler(evaluator));
        handlers.put("inject", new InjectingHandler(evaluator));
        Map<String, AdmissionEndpoint> endpoints = new LinkedHashMap<>();
        handlers.forEach((path, handler) -> endpoints.put(path, new AdmissionEndpoint(path, handler, json, metrics, log)));
        return WebhookApp.create(endpoints, certificate, json, settings, metrics);
    }

    /** The webhook port; only for a server that opened one. */
    public int port() {
        return servedWebhook().javalin().port();
    }

    public int metricsPort() {
        return health.port();
    }

    /** The certificate the webhook port serves; only for a server that opened one. */
    public ServingCertificate certificate() {
        return certificate.orElseThrow(() -> new IllegalStateException("this server opened no webhook port"));
    }

    private WebhookApp servedWebhook() {
        return webhook.orElseThrow(() -> new IllegalStateException("this server opened no webhook port"));
    }

    /**
     * The first step of a graceful stop, while still serving: readiness turns false, so that load balancers and
     * the Service's endpoints stop sending new connections here, and the {@link ConnectionDrain} moves the
     * connections already open elsewhere (HTTP/2: GOAWAY; HTTP/1.1: {@code Connection: close} on each answer).
     * Every request that arrives is still answered normally.
     */
    public void drain() {
        readiness.shuttingDown();
        webhook.ifPresent(app -> app.drain().start(app.javalin().jettyServer().server().getConnectors()[0]));
    }

    /**
     * Stops gracefully: readiness turns false, the webhook port stops accepting, and requests on connections
     * still open are answered (up to the shutdown timeout) before they close; then the health port stops.
     */
    public void stop() {
        readiness.shuttingDown();
        watchers.forEach(FileWatcher::close);
        webhook.ifPresent(app -> stopQuietly(app.javalin()));
        stopQuietly(health);
        closeAll(resources);
        LOG.info(webhook.isPresent() ? "admission webhook stopped" : "stopped");
    }

    @Override
    public void close() {
        stop();
    }

    private static ProxyGuardConfig loadConfig(ServeSettings settings) throws ConfigException {
        return settings.configFile().isPresent() ? ConfigLoader.load(settings.configFile().get()) : ProxyGuardConfig.defaults();
    }

    /** The certificate and key files the TLS port serves from. */
    private record CertificatePaths(Path certificate, Path key) {
    }

    private static ServingCertificate fromFiles(ServeSettings settings, WebhookMetrics metrics) throws IOException, TlsMaterialException {
        CertificatePaths paths = certificatePaths(settings);
        return new ServingCertificate(paths.certificate(), paths.key(), metrics);
    }

    private static CertificatePaths certificatePaths(ServeSettings settings) throws IOException {
        if (settings.tlsCertificate().isPresent()) {
            return new CertificatePaths(settings.tlsCertificate().get(), settings.tlsKey().orElseThrow());
        }
        LocalCertificates.Result local = LocalCertificates.ensure(new CertificateFiles(settings.localCertificates()), Clock.systemUTC());
        if (local.created()) {
            LOG.info("created a local CA and a certificate for localhost ({}); trust it with: curl --cacert {}",
                    local.reason(), local.files().caCert().toAbsolutePath());
        } else {
            LOG.info("using the local certificate in {}; trust it with: curl --cacert {}",
                    local.files().directory(), local.files().caCert().toAbsolutePath());
        }
        return new CertificatePaths(local.files().tlsCert(), local.files().tlsKey());
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.getMessage());
            }
        }
    }

    /** Stops at once, without the graceful wait: for a start that failed. */
    private static void abandon(Javalin app) {
        app.jettyServer().server().setStopTimeout(0);
        stopQuietly(app);
    }

    private static void stopQuietly(Javalin app) {
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping a server failed: {}", e.getMessage());
        }
    }
}
