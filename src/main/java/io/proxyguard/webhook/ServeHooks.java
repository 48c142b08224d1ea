package io.proxyguard.webhook;

import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.view.ClusterView;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the parts around the webhook plug into it: the cluster view reviews read, extra readiness checks
 * (the informer caches have synced), listeners told when a new configuration is in force (the view re-indexes
 * with its proxy detection), resources closed when the server stops, and optionally a feed of serving
 * certificates held in memory (self-managed mode), which then replaces the certificate files. Keeps the
 * webhook ignorant of Kubernetes clients and probes.
 */
public record ServeHooks(
        Supplier<ClusterView> view,
        Map<String, BooleanSupplier> readinessChecks,
        List<Consumer<PolicyEngine>> configListeners,
        List<AutoCloseable> resources,
        Optional<CertificateFeed> certificates) {

    public ServeHooks {
        readinessChecks = Map.copyOf(readinessChecks);
        configListeners = List.copyOf(configListeners);
        resources = List.copyOf(resources);
    }

    /** Hooks that leave the certificate to the files (or the local certificate). */
    public ServeHooks(Supplier<ClusterView> view, Map<String, BooleanSupplier> readinessChecks,
                      List<Consumer<PolicyEngine>> configListeners, List<AutoCloseable> resources) {
        this(view, readinessChecks, configListeners, resources, Optional.empty());
    }

    /** No cluster: an empty view, nothing else. */
    public static ServeHooks none() {
        return new ServeHooks(() -> ClusterView.EMPTY, Map.of(), List.of(), List.of());
    }

    /**
     * Both sets of hooks: the first one's view unless it has none of its own ({@code a} is the cluster, {@code b}
     * the extras), every readiness check, listener and resource of both, and the certificate feed of whichever has one.
     */
    public static ServeHooks combine(ServeHooks a, ServeHooks b) {
        java.util.Map<String, BooleanSupplier> checks = new java.util.LinkedHashMap<>(a.readinessChecks);
        checks.putAll(b.readinessChecks);
        List<Consumer<PolicyEngine>> listeners = new java.util.ArrayList<>(a.configListeners);
        listeners.addAll(b.configListeners);
        List<AutoCloseable> resources = new java.util.ArrayList<>(a.resources);
        resources.addAll(b.resources);
        if (a.certificates.isPresent() && b.certificates.isPresent()) {
            throw new IllegalArgumentException("two certificate feeds: the webhook serves one certificate");
        }
        return new ServeHooks(a.view, checks, listeners, resources, a.certificates.or(() -> b.certificates));
    }

    /** Only a view (tests). */
    public static ServeHooks withView(Supplier<ClusterView> view) {
        return new ServeHooks(view, Map.of(), List.of(), List.of());
    }
}
