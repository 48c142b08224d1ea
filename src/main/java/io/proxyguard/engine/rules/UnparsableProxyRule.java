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
import java.util.List;

/** PG205: a proxy variable applications cannot parse. */
final class UnparsableProxyRule implements WorkloadRule {

    private static final RuleInfo INFO = new RuleInfo("PG205", Severity.WARN, "Proxy variable does not parse",
            "HTTP clients parse HTTPS_PROXY as [scheme://][user:password@]host[:port][/]. A value that does not "
                    + "parse (spaces, a path, an empty string, a stray character) is silently ignored by some "
                    + "clients, which then connect directly and are dropped by the egress policy, and makes others "
                    + "fail at start. Write http://PROXY_IP:PORT. ProxyGuard does not repeat the value, which may "
                    + "hold credentials.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Violation> check(WorkloadFacts workload, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        for (ContainerEnv container : workload.containers()) {
            for (ProxyVariable variable : container.proxies()) {
                if (variable.known() && variable.url().isEmpty()) {
                    violations.add(variable.path().violation("container " + container.container() + ": " + variable.name()
                            + " is not a proxy URL (" + ProxyUrl.describeUnparsable(variable.value()) + "); write http://PROXY_IP:PORT"));
                }
            }
        }
        return violations;
    }
}
