package io.proxyguard.engine.rules;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.proxyguard.config.ProxyDefinition;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.List;
import java.util.Optional;

/** PG104: a proxy entry without addresses becomes a wildcard listener on the proxy's port. */
final class MissingAddressRule extends ProxyEntryRule {

    MissingAddressRule() {
        super(new RuleInfo("PG104", Severity.DENY, "Proxy entry has no address",
                "With a TCP port, resolution NONE and no addresses, istiod builds a listener on 0.0.0.0:PORT: "
                        + "traffic to any IP on the proxy's port is let out, not only traffic to the proxy, and the entry "
                        + "no longer identifies the proxy at all. Istio only warns about it (IST0134). Give the entry the "
                        + "proxy's IP as addresses: [PROXY_IP/32]. When the proxy is known from ProxyGuard's "
                        + "configuration the fix adds that address."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        if (!entry.addresses().isEmpty()) {
            return List.of();
        }
        String ports = entry.portNumbers().isEmpty() ? "PORT" : entry.portNumbers().get(0).toString();
        String message = "proxy entry has no addresses, so Istio listens on 0.0.0.0:" + ports
                + " and lets any IP through; add addresses: [PROXY_IP/32]";
        FieldPath path = FieldPath.of("spec", "addresses");
        Optional<ProxyDefinition> proxy = context.proxyMatch().flatMap(m -> m.proxy());
        if (proxy.isEmpty()) {
            return List.of(path.violation(message));
        }
        String cidr = proxy.get().block().hostCidr();
        return List.of(path.fixable(message,
                JsonNodeFactory.instance.arrayNode().add(cidr),
                "addresses (none) -> [" + cidr + "] of proxy " + proxy.get().name()));
    }
}
