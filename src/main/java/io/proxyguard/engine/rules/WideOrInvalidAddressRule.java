package io.proxyguard.engine.rules;

import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.IpBlock;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** PG103: a proxy entry's address must be one host, never a range, and must be an IP at all. */
final class WideOrInvalidAddressRule extends ProxyEntryRule {

    WideOrInvalidAddressRule() {
        super(new RuleInfo("PG103", Severity.DENY, "Proxy address is a range or not an IP",
                "The proxy entry's addresses decide which destination IPs the sidecar treats as the proxy. A CIDR "
                        + "wider than one host (10.10.0.0/16) makes every IP in the range look like the proxy: "
                        + "egress to the whole range is let through as plain TCP on the proxy's port, and the entry no "
                        + "longer documents where traffic goes. An address that is not an IP or CIDR is refused by "
                        + "Istio itself. Write the proxy's own IP as /32 (IPv4) or /128 (IPv6), one entry per proxy."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        List<String> addresses = entry.addresses();
        for (int i = 0; i < addresses.size(); i++) {
            String address = addresses.get(i);
            Optional<IpBlock> block = IpBlock.parse(address);
            FieldPath path = FieldPath.of("spec", "addresses", i);
            if (block.isEmpty()) {
                violations.add(path.violation("address '" + shorten(address) + "' is not an IP or CIDR; use the proxy's IP as IP/32"));
            } else if (!block.get().isSingleHost()) {
                violations.add(path.violation("address " + address + " covers " + size(block.get())
                        + " addresses, not just the proxy; use the proxy's IP as /" + block.get().address().length * 8));
            }
        }
        return violations;
    }

    private static String size(IpBlock block) {
        int hostBits = block.address().length * 8 - block.prefixLength();
        return hostBits < 31 ? String.valueOf(1L << hostBits) : "2^" + hostBits;
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
