package io.proxyguard.engine.mesh;

import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ClusterView;

import java.util.Comparator;
import java.util.Optional;

/**
 * One namespace per host name. When entries of several namespaces share a host and an egress listener of a pod
 * imports more than one, istiod keeps one (pilot/pkg/model/sidecar.go {@code selectServices}, then
 * {@code appendSidecarServices} for two of one namespace): the one of the pod's own namespace, else the first in
 * the order it walks them, which is the entries exported to the pod's namespace by name before those exported to
 * every namespace ({@code servicesExportedToNamespace}), each oldest first; a listener whose hosts are all exact and
 * namespaced takes them oldest first only ({@code servicesForExactHosts}). The addresses of the others get no
 * listener in that pod. Only proxy entries are compared: the view indexes those by host.
 */
final class NamespacePerHost {

    /** An entry that a pod's sidecar keeps instead of another, for the host they share. */
    record Taken(String host, ServiceEntryFacts by) {
    }

    private NamespacePerHost() {
    }

    /**
     * The entry the pod keeps instead of {@code entry} on every listener that serves {@code port} and imports it, for
     * each of its hosts; empty when {@code entry} keeps one of its hosts on one of them.
     */
    static Optional<Taken> takenFrom(ServiceEntryFacts entry, ClusterView view, SidecarScope scope, MeshSettings settings, int port) {
        if (!sharesAHost(entry, view)) {
            return Optional.empty();
        }
        Optional<Taken> taken = Optional.empty();
        for (EgressListener listener : scope.egress()) {
            if (!listener.serves(port)) {
                continue;
            }
            for (String host : entry.hosts()) {
                if (!listener.imports(entry.ref().namespace(), host, scope.podNamespace())) {
                    continue;
                }
                Optional<ServiceEntryFacts> preferred = preferredOver(entry, host, listener, view, scope.podNamespace(), settings, port);
                if (preferred.isEmpty()) {
                    return Optional.empty();
                }
                if (taken.isEmpty()) {
                    taken = Optional.of(new Taken(host, preferred.get()));
                }
            }
        }
        return taken;
    }

    private static Optional<ServiceEntryFacts> preferredOver(ServiceEntryFacts entry, String host, EgressListener listener, ClusterView view,
                                                             String podNamespace, MeshSettings settings, int port) {
        Comparator<ServiceEntryFacts> walkOrder = walkOrder(podNamespace, listener.exactHostsOnly(), settings);
        ServiceEntryFacts first = entry;
        for (ServiceEntryFacts other : view.proxyEntriesWithHostAnywhere(host)) {
            if (!ClusterView.sameObject(other.ref(), entry.ref()) && other.hosts().contains(host)
                    && Visibility.exportTo(other, settings).exportsTo(other.ref().namespace(), podNamespace)
                    && listener.imports(other.ref().namespace(), host, podNamespace)
                    && (listener.port().isEmpty() || other.portNumbers().contains(port))
                    && walkOrder.compare(other, first) < 0) {
                first = other;
            }
        }
        return first == entry ? Optional.empty() : Optional.of(first);
    }

    /** True when another proxy entry in view has one of the entry's hosts: most entries have theirs alone. */
    private static boolean sharesAHost(ServiceEntryFacts entry, ClusterView view) {
        for (String host : entry.hosts()) {
            for (ServiceEntryFacts other : view.proxyEntriesWithHostAnywhere(host)) {
                if (!ClusterView.sameObject(other.ref(), entry.ref())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The pod's namespace first; then, unless the listener is all exact, entries not exported to "*"; then the oldest. */
    private static Comparator<ServiceEntryFacts> walkOrder(String podNamespace, boolean exactHostsOnly, MeshSettings settings) {
        return Comparator.comparing((ServiceEntryFacts e) -> !e.ref().namespace().equals(podNamespace))
                .thenComparing(e -> !exactHostsOnly && Visibility.exportTo(e, settings).values().contains("*"))
                .thenComparing(e -> e.object().json().path("metadata").path("creationTimestamp").asText(""))
                .thenComparing(e -> e.ref().namespace())
                .thenComparing(e -> e.ref().name());
    }
}
