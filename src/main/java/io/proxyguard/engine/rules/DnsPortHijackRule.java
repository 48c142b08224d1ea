package io.proxyguard.engine.rules;

import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryResolution;
import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.ServiceEntryRule;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** PG111: a DNS entry without addresses on a proxy's port number takes over all traffic on that port. */
final class DnsPortHijackRule extends DescribedRule implements ServiceEntryRule {

    private static final Set<ServiceEntryResolution> DNS = EnumSet.of(ServiceEntryResolution.DNS, ServiceEntryResolution.DNS_ROUND_ROBIN);

    DnsPortHijackRule() {
        super(new RuleInfo("PG111", Severity.WARN, "DNS entry without addresses on a proxy's port",
                "A ServiceEntry with resolution DNS (or DNS_ROUND_ROBIN), a TCP-like port and no addresses makes istiod "
                        + "bind 0.0.0.0:PORT for it, and Envoy then sends every connection on that port number to the "
                        + "entry's DNS host, whatever IP the application dialled: on a proxy's port that takes the "
                        + "proxy's traffic too, and every CONNECT goes to the wrong server (istio/istio#11741). Istio's "
                        + "DNS capture with automatic address allocation avoids it by giving the entry its own IP; "
                        + "ProxyGuard cannot see whether that is on, so it warns. Give the entry its addresses, move it "
                        + "to another port, or enable DNS auto-allocation. HTTP-family ports are PG109's case."));
    }

    @Override
    public List<Violation> check(ServiceEntryFacts entry, RuleContext context) {
        if (context.isProxyEntry() || !DNS.contains(entry.resolution()) || !entry.addresses().isEmpty()) {
            return List.of();
        }
        Set<Integer> proxyPorts = new HashSet<>(context.config().proxyPorts());
        context.config().proxies().forEach(p -> proxyPorts.add(p.port()));
        proxyPorts.addAll(context.view().proxyEntryPorts());
        List<Violation> violations = new ArrayList<>();
        List<ServicePort> ports = entry.ports();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            if (port.getNumber() == null || PortProtocol.isHttpFamily(port.getProtocol())) {
                continue;
            }
            int number = port.getNumber().intValue();
            if (proxyPorts.contains(number) || !context.view().proxyUsesOnPort(number).isEmpty()) {
                String host = entry.hosts().isEmpty() ? "its host" : entry.hosts().get(0);
                violations.add(FieldPath.of("spec", "ports", i, "number").violation("port " + number
                        + " is a proxy's port; resolution " + entry.resolution().name() + " without addresses sends all "
                        + "traffic on it, the proxy's included, to " + host + "; add addresses or use another port"));
            }
        }
        return violations;
    }
}
