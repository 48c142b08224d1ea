package io.proxyguard.engine.rules;

import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryResolution;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** PG105: a proxy entry's placeholder host does not resolve, so DNS resolution leaves it without endpoints. */
final class DnsResolutionRule extends ProxyEntryRule {

    private static final Set<ServiceEntryResolution> DNS = EnumSet.of(
            ServiceEntryResolution.DNS, ServiceEntryResolution.DNS_ROUND_ROBIN, ServiceEntryResolution.DYNAMIC_DNS);

    DnsResolutionRule() {
        super(new RuleInfo("PG105", Severity.WARN, "Proxy entry resolves its host by DNS",
                "The host of a proxy entry is a placeholder (my-company-proxy.com in Istio's guide): it names the Envoy "
                        + "cluster but does not exist in DNS. With resolution DNS, DNS_ROUND_ROBIN or DYNAMIC_DNS Envoy "
                        + "tries to resolve it and the cluster has no endpoints, so connections to the proxy fail. "
                        + "Resolution NONE (Istio's default, and what the current guide sets) forwards to the address "
                        + "the application dialled, which is the proxy's IP. The fix sets resolution: NONE, unless "
                        + "the entry lists endpoints, which NONE does not allow."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        if (!DNS.contains(entry.resolution())) {
            return List.of();
        }
        FieldPath path = FieldPath.of("spec", "resolution");
        String message = "resolution " + entry.resolution().name() + " looks up the placeholder host, which has no address";
        if (entry.spec().getEndpoints() != null && !entry.spec().getEndpoints().isEmpty()) {
            return List.of(path.violation(message + "; remove endpoints and set resolution: NONE"));
        }
        return List.of(path.fixable(message + "; set resolution: NONE", TextNode.valueOf("NONE"),
                "resolution " + entry.resolution().name() + " -> NONE"));
    }
}
