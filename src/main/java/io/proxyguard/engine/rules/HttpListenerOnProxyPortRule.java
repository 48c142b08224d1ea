package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.workload.ProxyVariable;

import java.util.Optional;
import java.util.stream.Stream;

/** PG208: PG109 seen from the workload: a service this pod sees is HTTP on its proxy's port number. */
final class HttpListenerOnProxyPortRule extends SidecarProxyRule {

    HttpListenerOnProxyPortRule() {
        super(new RuleInfo("PG208", Severity.WARN, "Workload sees an HTTP port on its proxy's port",
                "The PG109 case, judged for one pod: a ServiceEntry or Kubernetes Service that this pod's sidecar sees "
                        + "(exportTo, Sidecar egress) declares an HTTP-family port on the proxy's port number, so the "
                        + "sidecar has an HTTP listener on 0.0.0.0:PORT. Unless a TCP entry covering the proxy's address "
                        + "is visible to the pod (its filter chain is more specific and wins), the application's CONNECT "
                        + "lands on the HTTP listener and is answered 404 NR route_not_found, under ALLOW_ANY as well as "
                        + "REGISTRY_ONLY (istio/istio#35526). Give the pod its TCP proxy entry, move the other service to "
                        + "another port, or keep it from this namespace with exportTo or the Sidecar's egress hosts."));
    }

    @Override
    Stream<String> problems(ProxyUrl url, ProxyPath path, RuleContext context) {
        int port = url.port();
        return HttpListenerTrap.visibleHttpUser(context.view(), path, port).stream().map(user ->
                "port " + port + " is HTTP in " + user + ", which this pod sees, and no TCP entry for proxy "
                        + url.endpoint() + " overrides it, so CONNECT gets 404; move that port or add the entry");
    }
}
