package io.proxyguard.engine.rules;

import io.proxyguard.config.HostPattern;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.WorkloadRule;
import io.proxyguard.engine.workload.ContainerEnv;
import io.proxyguard.engine.workload.ProxyVariable;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** PG204: with a proxy set, in-mesh names must be in NO_PROXY or in-mesh calls go out through the proxy. */
final class IncompleteNoProxyRule extends DescribedRule implements WorkloadRule {

    /** A suffix NO_PROXY must cover, and a name that shows whether it does. */
    private record Suffix(String label, String example) {
    }

    private static final List<Suffix> IN_MESH = List.of(
            new Suffix(".svc", "name.namespace.svc"), new Suffix(".cluster.local", "name.namespace.svc.cluster.local"));

    IncompleteNoProxyRule() {
        super(new RuleInfo("PG204", Severity.WARN, "NO_PROXY lacks the cluster's suffixes",
                "HTTPS_PROXY and HTTP_PROXY apply to every host not excluded by NO_PROXY. Without .svc and "
                        + ".cluster.local in NO_PROXY, calls to other services of the mesh are sent to the corporate "
                        + "proxy instead: they leave the mesh, lose mTLS, routing and telemetry, and usually fail "
                        + "because the proxy cannot reach cluster addresses. Set NO_PROXY to at least "
                        + ".svc,.cluster.local (and localhost)."));
    }

    @Override
    public List<Violation> check(WorkloadFacts workload, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerEnv container : workload.containers()) {
            if (container.proxies().isEmpty()) {
                continue;
            }
            ProxyVariable first = container.proxies().get(0);
            if (container.noProxy().isEmpty()) {
                violations.add(first.path().violation("container " + container.container() + " sets " + first.name()
                        + " without NO_PROXY, so in-mesh calls go to the proxy; set NO_PROXY=.svc,.cluster.local"));
                continue;
            }
            ProxyVariable noProxy = container.noProxy().get();
            if (!noProxy.known()) {
                continue;
            }
            List<HostPattern> patterns = Arrays.stream(noProxy.value().split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).map(HostPattern::noProxy).toList();
            List<String> missed = IN_MESH.stream()
                    .filter(suffix -> patterns.stream().noneMatch(p -> p.matches(suffix.example())))
                    .map(Suffix::label).toList();
            if (!missed.isEmpty()) {
                violations.add(noProxy.path().violation("container " + container.container() + ": " + noProxy.name()
                        + " lacks " + String.join(" and ", missed) + ", so in-mesh calls go to the proxy; add them"));
            }
        }
        return violations;
    }
}
