package io.proxyguard.engine.rules;

import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.mesh.Visibility;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.ProxyUseGroups.UseGroup;
import io.proxyguard.engine.view.ServicePortUse;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The HTTP trap of istio/istio#35526, shared by PG109 (seen from the ServiceEntry or Service) and PG208 (seen from
 * the workload). A service visible to a pod with an HTTP-family port on the proxy's port number gives that pod's
 * sidecar an HTTP listener on 0.0.0.0:PORT, which answers CONNECT with 404, under ALLOW_ANY too. A visible TCP
 * entry covering the proxy's address gets its own, more specific filter chain, and then the pod is safe.
 */
final class HttpListenerTrap {

    private HttpListenerTrap() {
    }

    /** The first object with an HTTP-family port on {@code port} that the pod of {@code path} sees, other than entries covering its proxy. */
    static Optional<String> visibleHttpUser(ClusterView view, ProxyPath path, int port) {
        if (shielded(path, port)) {
            return Optional.empty();
        }
        for (ServiceEntryFacts entry : view.entriesOnPort(port)) {
            if (!path.visibleEntries().contains(entry) && httpPortIndex(entry, port).isPresent() && sees(path, entry, port)) {
                return Optional.of(entry.ref().display());
            }
        }
        for (ServicePortUse service : view.servicesOnPort(port)) {
            if (PortProtocol.isHttpFamily(service.protocol())
                    && Visibility.hiddenReason(service, path.scope(), path.settings()).isEmpty()) {
                return Optional.of(service.service().display());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the trap set by {@code httpEntry} on {@code port} matters to the workloads {@code concerned} selects:
     * true when the view holds no workloads at all (nothing is known, so any pod might be affected), or when one of
     * them, sending proxy traffic on that port through its sidecar, sees the entry without being saved by a TCP
     * proxy entry of its own.
     */
    static boolean mattersTo(ClusterView view, ServiceEntryFacts httpEntry, int port, Concern concerned) {
        return view.workloads().isEmpty() || someAffected(view, port, concerned, path -> sees(path, httpEntry, port));
    }

    /** The same for a Kubernetes Service port. */
    static boolean mattersTo(ClusterView view, ServicePortUse service, Concern concerned) {
        return view.workloads().isEmpty() || someAffected(view, service.port(), concerned,
                path -> Visibility.hiddenReason(service, path.scope(), path.settings()).isEmpty());
    }

    /** Which proxy uses a question is about: a group of alike uses and the path they take. */
    @FunctionalInterface
    interface Concern {
        Concern EVERY_USE = (group, path) -> true;

        boolean test(UseGroup group, ProxyPath path);
    }

    /**
     * Workloads whose proxy {@code entry} covers; for an entry without addresses (a 0.0.0.0:PORT listener of its
     * own), the workloads on the port that see it.
     */
    static Concern usingProxyOf(ServiceEntryFacts entry, int port) {
        if (entry.ipBlocks().isEmpty()) {
            return (group, path) -> sees(path, entry, port);
        }
        return (group, path) -> entry.ipBlocks().stream().anyMatch(b -> b.block().contains(group.proxy().ip().orElseThrow()));
    }

    /** One path per group of alike uses on the port, not one per workload: see {@link ClusterView#proxyUseGroupsOnPort}. */
    private static boolean someAffected(ClusterView view, int port, Concern concerned, Predicate<ProxyPath> sees) {
        for (UseGroup group : view.proxyUseGroupsOnPort(port)) {
            ProxyPath path = group.path(view, port);
            if (path.throughSidecar() && !shielded(path, port) && concerned.test(group, path) && sees.test(path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sees(ProxyPath path, ServiceEntryFacts entry, int port) {
        return Visibility.hiddenReason(entry, path.scope(), path.settings(), port).isEmpty();
    }

    /**
     * Whether the pod's connection to its proxy escapes the HTTP listener other services set on the port: a visible TCP
     * entry covering the proxy has its own filter chain, and a Sidecar listener on the port that imports the proxy's
     * entry sets the protocol of all it serves (PG209 judges that one).
     */
    private static boolean shielded(ProxyPath path, int port) {
        return safe(path, port) || path.portListener(port).isPresent();
    }

    /** A visible entry covering the proxy, TCP on the port, gives it a filter chain more specific than 0.0.0.0. */
    private static boolean safe(ProxyPath path, int port) {
        return path.visibleEntries().stream().anyMatch(entry -> entry.ports().stream()
                .anyMatch(p -> p.getNumber() != null && p.getNumber() == port && PortProtocol.isTcp(PortProtocol.normalize(p.getProtocol()))));
    }

    /** The index of the entry's HTTP-family port numbered {@code port}. */
    static Optional<Integer> httpPortIndex(ServiceEntryFacts entry, int port) {
        List<ServicePort> ports = entry.ports();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort candidate = ports.get(i);
            if (candidate.getNumber() != null && candidate.getNumber() == port && PortProtocol.isHttpFamily(candidate.getProtocol())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
