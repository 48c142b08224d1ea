package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.workload.ProxyVariable;

import java.util.Optional;
import java.util.stream.Stream;

/** PG207: the workload's proxy has a ServiceEntry, but the workload's sidecar cannot see it. */
final class HiddenProxyEntryRule extends SidecarProxyRule {

    HiddenProxyEntryRule() {
        super(new RuleInfo("PG207", Severity.WARN, "Workload cannot see its proxy's ServiceEntry",
                "A ServiceEntry only reaches the sidecars of the namespaces it is exported to (its exportTo, else "
                        + "meshConfig defaultServiceExportTo), and of those, only the pods whose Sidecar resource imports "
                        + "it in egress[].hosts (a Sidecar without egress imports */*); and where entries of several "
                        + "namespaces share a host, a pod keeps one of them (its own namespace's, else the first istiod "
                        + "walks: exported to it by name before exported to all, oldest first). The proxy entry exists, but this "
                        + "pod's sidecar is not given it, so for this pod the proxy is an unknown destination: under "
                        + "REGISTRY_ONLY every CONNECT goes to the BlackHoleCluster, under ALLOW_ANY it passes through "
                        + "unnamed. The message names the object that hides it, e.g. exportTo [\".\"] of egress/proxy, or "
                        + "Sidecar shop/default imports only ./*, istio-system/*, or this pod keeps shop/proxy-b for the "
                        + "same host my-company-proxy.com. Export the entry to the pod's "
                        + "namespace (or \"*\"), add ENTRY_NAMESPACE/PLACEHOLDER_HOST to the Sidecar's egress hosts, or give "
                        + "the entry a placeholder host of its own (PG110)."));
    }

    @Override
    Stream<String> problems(ProxyUrl url, ProxyPath path, RuleContext context) {
        if (!path.visibleEntries().isEmpty() || path.hiddenEntries().isEmpty()) {
            return Stream.empty();
        }
        ProxyPath.HiddenEntry hidden = path.hiddenEntries().get(0);
        return Stream.of("proxy " + url.endpoint() + ": entry " + hidden.entry().ref().namespacedName() + " hidden ("
                + hidden.reason() + "); " + UnregisteredProxyRule.consequence(path) + "; export or import it");
    }
}
