package io.proxyguard.engine.rules;

import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.List;

/** PG108: one proxy IP per entry, each with its own placeholder host. */
final class MultipleAddressesRule extends ProxyEntryRule {

    MultipleAddressesRule() {
        super(new RuleInfo("PG108", Severity.WARN, "Proxy entry has several addresses",
                "Istio keeps one service per placeholder host and namespace. With several proxy IPs on one entry, "
                        + "only the first reached the proxy and CONNECT to the others got 404 (istio/istio#55716). "
                        + "Write one ServiceEntry per proxy IP, each with its own placeholder host."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        int count = entry.addresses().size();
        if (count < 2) {
            return List.of();
        }
        return List.of(FieldPath.of("spec", "addresses").violation("proxy entry has " + count
                + " addresses but Istio routes one per placeholder host; write one entry per proxy IP"));
    }
}
