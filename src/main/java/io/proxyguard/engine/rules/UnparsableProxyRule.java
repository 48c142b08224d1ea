package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.workload.ProxyVariable;

import java.util.stream.Stream;

/** PG205: a proxy variable applications cannot parse. */
final class UnparsableProxyRule extends ProxyVariableRule {

    UnparsableProxyRule() {
        super(new RuleInfo("PG205", Severity.WARN, "Proxy variable does not parse",
                "HTTP clients parse HTTPS_PROXY as [scheme://][user:password@]host[:port][/]. A value that does not "
                        + "parse (spaces, a path, an empty string, a stray character) is silently ignored by some "
                        + "clients, which then connect directly and are dropped by the egress policy, and makes others "
                        + "fail at start. Write http://PROXY_IP:PORT. ProxyGuard does not repeat the value, which may "
                        + "hold credentials."));
    }

    @Override
    Stream<String> problems(ProxyVariable variable, RuleContext context) {
        if (!variable.known() || variable.url().isPresent()) {
            return Stream.empty();
        }
        return Stream.of(variable.name() + " is not a proxy URL (" + ProxyUrl.describeUnparsable(variable.value())
                + "); write http://PROXY_IP:PORT");
    }
}
