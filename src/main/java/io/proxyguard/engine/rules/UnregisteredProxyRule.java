package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
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
                        + "IP and port (and it is not a proxy in ProxyGuard's configuration). With outboundTrafficPolicy "
                        + "REGISTRY_ONLY the sidecar sends such traffic to the BlackHoleCluster and every proxied call "
                        + "fails; with ALLOW_ANY it passes as unknown PassthroughCluster traffic that no policy or "
                        + "telemetry names. Add the TCP proxy entry of Istio's guide for that IP/32 and port."));
    }

    @Override
    public List<Violation> check(WorkloadFacts workload, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerEnv container : workload.containers()) {
            Set<String> reported = new HashSet<>();
            for (ProxyVariable variable : container.proxies()) {
                variable.url().filter(url -> url.ip().isPresent()).ifPresent(url -> {
                    if (!isKnown(url, context) && reported.add(url.endpoint())) {
                        violations.add(variable.path().violation("container " + container.container() + ": " + variable.name()
                                + " points at " + url.endpoint() + ", which no proxy ServiceEntry describes; add a TCP entry for it"));
                    }
                });
            }
        }
        return violations;
    }

    private static boolean isKnown(ProxyUrl url, RuleContext context) {
        byte[] ip = url.ip().orElseThrow();
        return !context.view().entriesCovering(ip, url.port()).isEmpty()
                || context.config().proxies().stream()
                .anyMatch(p -> p.port() == url.port() && java.util.Arrays.equals(p.block().address(), ip));
    }
}
