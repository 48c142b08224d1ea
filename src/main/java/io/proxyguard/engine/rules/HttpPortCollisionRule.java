package io.proxyguard.engine.rules;

import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.ServiceEntryRule;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ClusterView;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PG109: an HTTP-family port on a proxy's port number, declared by another ServiceEntry or a Service, makes
 * istiod build an HTTP filter chain on 0.0.0.0:PORT that answers CONNECT with 404. Reported on the proxy
 * entry (for conflicts in view) and on a non-proxy entry that declares such a port.
 */
final class HttpPortCollisionRule extends DescribedRule implements ServiceEntryRule {

    HttpPortCollisionRule() {
        super(new RuleInfo("PG109", Severity.WARN, "HTTP port on the proxy's port number",
                "Listeners are shared by port. When another ServiceEntry or a Kubernetes Service declares an HTTP-family "
                        + "port (for a Service: appProtocol, or a port name such as http-web) on the proxy's port number, "
                        + "istiod builds an HTTP filter chain on 0.0.0.0:PORT; the HTTP inspector then takes the "
                        + "application's CONNECT for HTTP and it is answered 404 even though the proxy entry itself is "
                        + "TCP (istio/istio#35526, #47088). It matters under ALLOW_ANY too, and only to the pods whose "
                        + "sidecar sees the HTTP port (exportTo, Sidecar egress) and no TCP entry covering their proxy's "
                        + "address (whose more specific filter chain wins). When the view holds workloads that send proxy "
                        + "traffic on that port, PG109 is reported only if one of them is such a pod (on a proxy entry: one "
                        + "that uses that proxy); when the view holds no workloads, it is reported as before, since any "
                        + "pod might be. PG208 names the affected workload. Move the "
                        + "other service to another port, or declare it TCP."));
    }

    @Override
    public List<Violation> check(ServiceEntryFacts entry, RuleContext context) {
        return context.isProxyEntry() ? conflictsOfProxyEntry(entry, context.view()) : httpPortsOnProxyPorts(entry, context);
    }

    private static List<Violation> conflictsOfProxyEntry(ServiceEntryFacts entry, ClusterView view) {
        List<Violation> violations = new ArrayList<>();
        List<ServicePort> ports = entry.ports();
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).getNumber() == null) {
                continue;
            }
            int number = ports.get(i).getNumber().intValue();
            Optional<String> other = httpUserThatMatters(number, entry, view);
            int index = i;
            other.ifPresent(name -> violations.add(FieldPath.of("spec", "ports", index, "number").violation("port " + number
                    + " is also HTTP in " + name + ", so istiod answers CONNECT on it with 404; move that port")));
        }
        return violations;
    }

    private static Optional<String> httpUserThatMatters(int port, ServiceEntryFacts proxyEntry, ClusterView view) {
        ResourceRef self = proxyEntry.ref();
        HttpListenerTrap.Concern concerned = HttpListenerTrap.usingProxyOf(proxyEntry, port);
        for (ServiceEntryFacts other : view.entriesOnPort(port)) {
            // another proxy entry with HTTP is PG101's case, denied (or fixed) on its own
            if (!ClusterView.sameObject(other.ref(), self) && !view.isProxyEntry(other.ref())
                    && HttpListenerTrap.httpPortIndex(other, port).isPresent() && HttpListenerTrap.mattersTo(view, other, port, concerned)) {
                return Optional.of(other.ref().display());
            }
        }
        return view.servicesOnPort(port).stream()
                .filter(use -> PortProtocol.isHttpFamily(use.protocol()) && HttpListenerTrap.mattersTo(view, use, concerned))
                .map(use -> use.service().display())
                .findFirst();
    }

    private static List<Violation> httpPortsOnProxyPorts(ServiceEntryFacts entry, RuleContext context) {
        Set<Integer> proxyPorts = new HashSet<>(context.config().proxyPorts());
        context.config().proxies().forEach(p -> proxyPorts.add(p.port()));
        proxyPorts.addAll(context.view().proxyEntryPorts());
        List<Violation> violations = new ArrayList<>();
        for (int port : new java.util.TreeSet<>(entry.portNumbers())) {
            if (proxyPorts.contains(port)) {
                HttpListenerTrap.httpPortIndex(entry, port).filter(i -> HttpListenerTrap.mattersTo(context.view(), entry, port, HttpListenerTrap.Concern.EVERY_USE))
                        .ifPresent(i -> violations.add(FieldPath.of("spec", "ports", i, "protocol").violation(
                        "port " + port + " is a proxy's port; HTTP here makes istiod answer CONNECT to the proxy with 404; use another port")));
            }
        }
        return violations;
    }
}
