package io.proxyguard.engine.rules;

import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryResolution;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.IpBlock;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.List;

/** PG102: write a proxy's address as a host CIDR ({@code /32} or {@code /128}), as the Istio guide does. */
final class BareIpAddressRule extends ProxyEntryRule {

    BareIpAddressRule() {
        super(new RuleInfo("PG102", Severity.WARN, "Proxy address is a bare IP",
                "Istio's guide writes the proxy's address as PROXY_IP/32. Istio accepts a bare IP as well, but the "
                        + "explicit host prefix states the intent (exactly one host, the proxy) and keeps every proxy "
                        + "entry in one form that reviews and tools can compare. The fix appends /32 to an IPv4 "
                        + "address or /128 to an IPv6 one. CIDRs are only valid with resolution NONE or STATIC, so the "
                        + "fix waits until the resolution is one of those (see PG105)."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        boolean cidrAllowed = entry.resolution() == ServiceEntryResolution.NONE
                || entry.resolution() == ServiceEntryResolution.STATIC;
        return entry.ipBlocks().stream()
                .filter(indexed -> !indexed.block().explicitPrefix())
                .map(indexed -> violation(indexed.index(), indexed.block(), cidrAllowed))
                .toList();
    }

    private static Violation violation(int index, IpBlock block, boolean cidrAllowed) {
        String cidr = block.text() + (block.isIpv6() ? "/128" : "/32");
        FieldPath path = FieldPath.of("spec", "addresses", index);
        String message = "address " + block.text() + " has no prefix length; write " + cidr + " to name exactly the proxy";
        if (!cidrAllowed) {
            return path.violation(message + " (after setting resolution: NONE)");
        }
        return path.fixable(message, TextNode.valueOf(cidr), "address " + block.text() + " -> " + cidr);
    }
}
