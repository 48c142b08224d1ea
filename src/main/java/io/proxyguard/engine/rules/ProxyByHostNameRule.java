package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.WorkloadRule;
import io.proxyguard.engine.workload.ContainerEnv;
import io.proxyguard.engine.workload.ProxyVariable;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.List;

/** PG202: the proxy should be given by IP, the only thing a proxy ServiceEntry can match. */
final class ProxyByHostNameRule implements WorkloadRule {

    private static final RuleInfo INFO = new RuleInfo("PG202", Severity.WARN, "Workload names its proxy by host name",
            "The sidecar sees the IP the application connects to, not the name it looked up. A proxy ServiceEntry "
                    + "therefore matches the proxy by address (PROXY_IP/32, resolution NONE), and a proxy given by host "
                    + "name in HTTPS_PROXY can change IP under the entry without anyone noticing (DNS rotation, a "
                    + "new proxy node), after which calls go to an unknown destination. Use the IP, as the guide does, "
                    + "or keep the ServiceEntry's addresses in step with every IP the name resolves to.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Violation> check(WorkloadFacts workload, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerEnv container : workload.containers()) {
            for (ProxyVariable variable : container.proxies()) {
                variable.url().filter(url -> url.ip().isEmpty()).ifPresent(url -> violations.add(variable.path().violation(
                        "container " + container.container() + ": " + variable.name() + " names the proxy by host name ("
                                + url.endpoint() + "); a proxy ServiceEntry needs its IP, so use IP:PORT")));
            }
        }
        return violations;
    }
}
