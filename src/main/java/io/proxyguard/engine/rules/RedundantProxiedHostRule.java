package io.proxyguard.engine.rules;

import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.ServiceEntryRule;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.rules.ProxyableTraffic.WebPort;
import io.proxyguard.engine.rules.RedundancyJudge.PortVerdict;

import java.util.ArrayList;
import java.util.List;

/** PG107: an entry, or a port of it, for hosts that every workload able to use it reaches through a proxy. */
final class RedundantProxiedHostRule extends DescribedRule implements ServiceEntryRule {

    RedundantProxiedHostRule() {
        super(new RuleInfo("PG107", Severity.WARN, "Entry for a host reached through the proxy",
                "When an application reaches a host through the proxy (HTTPS_PROXY), its sidecar only ever sees a TCP "
                        + "connection to the proxy's IP and port; the host's name travels inside the CONNECT request and "
                        + "the TLS tunnel. A ServiceEntry for that host (en.wikipedia.org in Istio's guide) then matches "
                        + "nothing: it adds configuration to every sidecar, suggests a direct path that does not exist, and "
                        + "misleads the next reader. But a workload that reaches the host directly (no proxy variable, or "
                        + "NO_PROXY covers it) needs the entry: under REGISTRY_ONLY it is what lets the call out. So the "
                        + "advice to delete is given only on evidence.\n\n"
                        + "Candidates: MESH_EXTERNAL entries without endpoints or workloadSelector, none of whose addresses "
                        + "is loopback, link-local or in clusterRanges; and of those, only the ports HTTP clients send "
                        + "through a proxy, judged one by one (an entry with 443 and 22 is redundant at most for 443): "
                        + "HTTPS and GRPC (HTTPS_PROXY), HTTP, HTTP2 and GRPC-Web (HTTP_PROXY), and TLS, TCP or an unset "
                        + "protocol only on webPorts (default https 443, 8443; http 80, 8080). Proxy entries are never "
                        + "candidates.\n\n"
                        + "Evidence: the workloads whose sidecar can see the entry on that port (exportTo, else the mesh's "
                        + "defaultServiceExportTo; the Sidecar resource's egress hosts; capture annotations; pods without "
                        + "a sidecar are left out, ambient pods see what is exported to their namespace). Each container "
                        + "that sets a proxy variable is read as curl reads its environment: https_proxy, HTTPS_PROXY, then "
                        + "all_proxy, ALL_PROXY for https; http_proxy (never HTTP_PROXY in upper case), then all_proxy, "
                        + "ALL_PROXY for http; no_proxy, then NO_PROXY, matched as curl does (the value * alone; a name "
                        + "or .name covers the domain and its subdomains; host:port and *.domain match nothing in curl, "
                        + "but as Go and Python honour them, a workload with one for the host counts as possibly "
                        + "direct). Values come from the manifest or a ConfigMap in view; a Secret's cannot be known. "
                        + "Containers without any proxy variable are taken not to call external hosts. PG107 warns only "
                        + "when every such workload sends every host of the entry (or the port) through a proxy, and says "
                        + "how many, which one for example, and which proxy; one workload that reaches a host directly, "
                        + "or cannot be told, is enough to keep the entry.\n\n"
                        + "Without evidence (no workload in view can see the entry, or none is in view at all), the "
                        + "configuration decides as before: hosts matching proxiedHosts and not noProxy are taken as "
                        + "proxied when a proxy is known (configured, or a proxy entry in view), and the message says it is "
                        + "judged from proxiedHosts. The configuration's proxiedHosts and noProxy are that fallback only: "
                        + "as soon as a workload in view can see the entry, the workloads' own NO_PROXY decides, even for "
                        + "a host the configuration's noProxy lists.\n\n"
                        + "What admission can and cannot know: the webhook judges an entry against the workloads in its "
                        + "view at that moment. A workload created or changed later (a new Deployment without a proxy, a "
                        + "NO_PROXY that now lists the host) can make a warned entry necessary, and nothing re-judges the "
                        + "entry then; run proxyguard audit (or the background audit, where deployed) to re-judge every "
                        + "entry against the current workloads before deleting one. Offline, the workloads are those of "
                        + "the same input."));
    }

    @Override
    public List<Violation> check(ServiceEntryFacts entry, RuleContext context) {
        if (context.isProxyEntry() || entry.hosts().isEmpty()
                || ProxyableTraffic.neverProxied(entry, context.config()).isPresent()) {
            return List.of();
        }
        List<WebPort> webPorts = ProxyableTraffic.webPorts(entry, context.config().webPorts());
        if (webPorts.isEmpty()) {
            return List.of();
        }
        RedundancyJudge judge = new RedundancyJudge(entry, context);
        List<String> hosts = judge.hosts();
        List<PortVerdict> verdicts = webPorts.stream().map(judge::judge).toList();
        boolean onlyWebPorts = webPorts.size() == entry.ports().size();
        List<PortVerdict> redundantPorts = verdicts.stream().filter(v -> v.covers(hosts)).toList();
        if (onlyWebPorts && redundantPorts.size() == verdicts.size()) {
            return List.of(FieldPath.of("spec", "hosts").violation(judge.reason(hosts, verdicts.get(0))
                    + ", so Istio never sees " + judge.pronoun(hosts) + " and this entry is redundant; delete it"));
        }
        List<Violation> violations = new ArrayList<>();
        for (PortVerdict verdict : redundantPorts) {
            violations.add(FieldPath.of("spec", "ports", verdict.port().index()).violation("port " + verdict.port().number()
                    + ": " + judge.reason(hosts, verdict) + ", so Istio never sees " + judge.pronoun(hosts)
                    + " on this port; remove the port"));
        }
        if (violations.isEmpty() && onlyWebPorts) {
            List<String> everywhere = hosts.stream().filter(host -> verdicts.stream().allMatch(v -> v.covers(List.of(host)))).toList();
            if (!everywhere.isEmpty()) {
                violations.add(FieldPath.of("spec", "hosts").violation(judge.reason(everywhere, verdicts.get(0))
                        + ", so Istio never sees " + judge.pronoun(everywhere) + "; remove " + judge.pronoun(everywhere)
                        + " from hosts"));
            }
        }
        return violations;
    }
}
