package io.proxyguard.engine.rules;

import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.mesh.Visibility;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.ServicePortUse;
import io.proxyguard.engine.workload.ProxyUse;

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
        if (safe(path, port)) {
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
    static boolean mattersTo(ClusterView view, ServiceEntryFacts httpEntry, int port, Predicate<ProxyUse> concerned) {
        return view.workloads().isEmpty() || view.proxyUsesOnPort(port).stream().filter(concerned)
                .anyMatch(use -> affected(view, use, port, path -> sees(path, httpEntry, port)));
    }

    /** The same for a Kubernetes Service port. */
    static boolean mattersTo(ClusterView view, ServicePortUse service, Predicate<ProxyUse> concerned) {
        return view.workloads().isEmpty() || view.proxyUsesOnPort(service.port()).stream().filter(concerned)
                .anyMatch(use -> affected(view, use, service.port(),
                        path -> Visibility.hiddenReason(service, path.scope(), path.settings()).isEmpty()));
    }

    /**
     * Workloads whose proxy {@code entry} covers; for an entry without addresses (a 0.0.0.0:PORT listener of its
     * own), the workloads on the port that see it.
     */
    static Predicate<ProxyUse> usingProxyOf(ServiceEntryFacts entry, ClusterView view, int port) {
        if (entry.ipBlocks().isEmpty()) {
            return use -> sees(ProxyPath.resolve(view, use.workload().pod(), use.url().ip().orElseThrow(), port), entry, port);
        }
        return use -> entry.ipBlocks().stream().anyMatch(b -> b.block().contains(use.url().ip().orElseThrow()));
    }

    private static boolean affected(ClusterView view, ProxyUse use, int port, Predicate<ProxyPath> sees) {
        ProxyPath path = ProxyPath.resolve(view, use.workload().pod(), use.url().ip().orElseThrow(), port);
        return path.throughSidecar() && !safe(path, port) && sees.test(path);
    }

    private static boolean sees(ProxyPath path, ServiceEntryFacts entry, int port) {
        return Visibility.hiddenReason(entry, path.scope(), path.settings(), port).isEmpty();
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
