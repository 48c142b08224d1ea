package io.proxyguard.engine.rules;

import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ClusterView;

import java.util.ArrayList;
import java.util.List;

/** PG110: two proxy entries of one namespace with the same placeholder host: only the oldest is used. */
final class SharedPlaceholderHostRule extends ProxyEntryRule {

    SharedPlaceholderHostRule() {
        super(new RuleInfo("PG110", Severity.WARN, "Proxy entries share a placeholder host",
                "The placeholder host is not really ignored: it names the Envoy cluster (outbound|3128||my-company-proxy.com) "
                        + "and Istio keeps one service per host and namespace, the oldest. A second proxy entry with the "
                        + "same host in the same namespace is silently dropped, so its proxy IP gets no listener; this is "
                        + "how several proxies behind one host name failed in istio/istio#55716. Give each proxy entry "
                        + "its own placeholder host."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        List<String> hosts = entry.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            int index = i;
            context.view().proxyEntriesWithHost(entry.ref().namespace(), host).stream()
                    .filter(other -> !ClusterView.sameObject(other.ref(), entry.ref()))
                    .findFirst()
                    .ifPresent(other -> violations.add(FieldPath.of("spec", "hosts", index).violation("host " + host
                            + " is also the placeholder of proxy entry " + other.ref().name()
                            + "; Istio keeps only the oldest, so give each proxy entry its own host")));
        }
        return violations;
    }
}
