package io.proxyguard.engine.rules;

import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryLocation;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.ServiceEntryRule;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.List;
import java.util.Optional;

/** PG107: an entry for a host that workloads reach through the proxy is never used. */
final class RedundantProxiedHostRule extends DescribedRule implements ServiceEntryRule {

    RedundantProxiedHostRule() {
        super(new RuleInfo("PG107", Severity.WARN, "Entry for a host reached through the proxy",
                "When applications reach a host through the proxy (HTTPS_PROXY), the sidecar only ever sees a TCP "
                        + "connection to the proxy's IP and port; the external host's name travels inside the CONNECT "
                        + "request and the TLS tunnel. A ServiceEntry for that host (en.wikipedia.org in Istio's guide) "
                        + "therefore matches nothing: it adds configuration to every sidecar, suggests a direct path "
                        + "that does not exist, and misleads the next reader. Delete it, or list the host in noProxy "
                        + "when workloads really reach it directly. Checked only when a proxy is known, from the "
                        + "configuration or a proxy entry in view."));
    }

    @Override
    public List<Violation> check(ServiceEntryFacts entry, RuleContext context) {
        if (context.isProxyEntry() || entry.location() == ServiceEntryLocation.MESH_INTERNAL) {
            return List.of();
        }
        Optional<String> proxy = knownProxy(entry, context);
        if (proxy.isEmpty()) {
            return List.of();
        }
        List<String> proxied = entry.hosts().stream().filter(context.config()::isProxied).toList();
        if (proxied.isEmpty()) {
            return List.of();
        }
        String hosts = proxied.size() == 1 ? proxied.get(0) : proxied.get(0) + " and " + (proxied.size() - 1) + " more";
        return List.of(FieldPath.of("spec", "hosts").violation(hosts + " is reached through proxy " + proxy.get()
                + ", so Istio never sees it and this entry is redundant; delete it"));
    }

    private static Optional<String> knownProxy(ServiceEntryFacts entry, RuleContext context) {
        if (!context.config().proxies().isEmpty()) {
            return Optional.of(context.config().proxies().get(0).display());
        }
        return context.view().anyProxyEntryOtherThan(entry.ref())
                .map(proxyEntry -> "entry " + proxyEntry.ref().namespacedName());
    }
}
