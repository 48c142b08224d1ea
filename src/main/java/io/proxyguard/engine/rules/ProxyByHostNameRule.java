package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.workload.ProxyVariable;

import java.util.stream.Stream;

/** PG202: the proxy should be given by IP, the only thing a proxy ServiceEntry can match. */
final class ProxyByHostNameRule extends ProxyVariableRule {

    ProxyByHostNameRule() {
        super(new RuleInfo("PG202", Severity.WARN, "Workload names its proxy by host name",
                "The sidecar sees the IP the application connects to, not the name it looked up. A proxy ServiceEntry "
                        + "therefore matches the proxy by address (PROXY_IP/32, resolution NONE), and a proxy given by host "
                        + "name in HTTPS_PROXY can change IP under the entry without anyone noticing (DNS rotation, a "
                        + "new proxy node), after which calls go to an unknown destination. Use the IP, as the guide does, "
                        + "or keep the ServiceEntry's addresses in step with every IP the name resolves to."));
    }

    @Override
    Stream<String> problems(ProxyVariable variable, RuleContext context) {
        return variable.url().filter(url -> url.ip().isEmpty()).stream().map(url -> variable.name()
                + " names the proxy by host name (" + url.endpoint() + "); a proxy ServiceEntry needs its IP, so use IP:PORT");
    }
}
