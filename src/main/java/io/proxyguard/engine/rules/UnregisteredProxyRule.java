package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.mesh.OutboundPolicy;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.WorkloadRule;
import io.proxyguard.engine.workload.ContainerEnv;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.workload.ProxyVariable;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** PG201: a workload's proxy must be a known destination: a ServiceEntry or a configured proxy. */
final class UnregisteredProxyRule extends DescribedRule implements WorkloadRule {

    UnregisteredProxyRule() {
        super(new RuleInfo("PG201", Severity.WARN, "Workload proxy has no ServiceEntry",
                "The workload sends its external traffic to the proxy in HTTPS_PROXY, but no ServiceEntry describes that "
                        + "IP and port (and it is not a proxy in ProxyGuard's configuration). The message says which "
                        + "outbound traffic policy is in force for the pod (its Sidecar resource's, else the mesh config's; "
                        + "absent means ALLOW_ANY). Under REGISTRY_ONLY the sidecar sends such traffic to the "
                        + "BlackHoleCluster and every proxied call fails; under ALLOW_ANY it passes as PassthroughCluster "
                        + "traffic that no policy or telemetry names. Both are warnings by default: a validating webhook "
                        + "cannot know the order in which a directory of manifests is applied, and denying a Deployment "
                        + "whose proxy entry arrives in the next file would break ordinary deployments (raise the rule "
                        + "to deny where the entries are always applied first). Only pods whose connection to the proxy "
                        + "reaches a sidecar are judged: pods without a sidecar, ambient pods, and traffic excluded from "
                        + "capture never meet the mesh's registry, and nothing is said where no objects are in view (the webhook "
                        + "without a cluster view, or before its first list), since there an absence proves nothing. Add the TCP proxy entry of Istio's guide for that "
                        + "IP/32 and port."));
    }

    @Override
    public List<Violation> check(WorkloadFacts workload, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerEnv container : workload.containers()) {
            Set<String> reported = new HashSet<>();
            for (ProxyVariable variable : container.proxies()) {
                variable.url().filter(url -> url.ip().isPresent()).ifPresent(url -> {
                    ProxyPath path = context.pathTo(url);
                    if (path.throughSidecar() && !isKnown(url, path, context) && reported.add(url.endpoint())) {
                        violations.add(variable.path().violation("container " + container.container() + ": " + variable.name()
                                + " " + url.endpoint() + " has no proxy ServiceEntry; " + consequence(path) + "; add a TCP entry for it"));
                    }
                });
            }
        }
        return violations;
    }

    /** What the sidecar does with a call to an unknown destination under the policy in force, in a few words. */
    static String consequence(ProxyPath path) {
        return path.policy() == OutboundPolicy.REGISTRY_ONLY
                ? "under " + path.policyText() + " calls are dropped"
                : "under " + path.policyText() + " calls pass unnamed, outside Istio's policy";
    }

    /**
     * Known: an entry covers it (PG207 says when the pod cannot see it), or the configuration names it; or nothing can
     * be said, because the view was never filled (no cluster view, or not listed yet).
     */
    private static boolean isKnown(ProxyUrl url, ProxyPath path, RuleContext context) {
        byte[] ip = url.ip().orElseThrow();
        return !context.view().isFilled() || !path.visibleEntries().isEmpty() || !path.hiddenEntries().isEmpty()
                || context.config().proxies().stream()
                .anyMatch(p -> p.port() == url.port() && java.util.Arrays.equals(p.block().address(), ip));
    }
}
