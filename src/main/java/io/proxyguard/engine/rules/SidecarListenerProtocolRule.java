package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.mesh.EgressListener;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.workload.ProxyUrl;

import java.util.Optional;
import java.util.stream.Stream;

/** PG209: the pod's Sidecar declares the proxy's port as an HTTP (or sniffed) egress listener. */
final class SidecarListenerProtocolRule extends SidecarProxyRule {

    SidecarListenerProtocolRule() {
        super(new RuleInfo("PG209", Severity.WARN, "Sidecar egress listener on the proxy's port is not TCP",
                "When a Sidecar resource has an egress listener limited to a port (egress[].port.number), istiod builds "
                        + "the pod's outbound listener on that port from it alone, and every service it imports gets the "
                        + "listener's protocol, whatever the service declares (buildSidecarOutboundListeners); the catch-all "
                        + "listener adds nothing to that port any more. A listener on the proxy's port with protocol HTTP, "
                        + "HTTP2, GRPC or GRPC-WEB, or with none (Istio sniffs the protocol and takes CONNECT for HTTP/1.1), "
                        + "turns the TCP proxy entry it imports into an HTTP route table: CONNECT gets 404 NR "
                        + "route_not_found, although the ServiceEntry itself is right. Set the listener's protocol to TCP, "
                        + "or drop the port and let the catch-all listener import the proxy entry."));
    }

    @Override
    Stream<String> problems(ProxyUrl url, ProxyPath path, RuleContext context) {
        Optional<EgressListener> listener = path.portListener(url.port()).filter(l -> breaksConnect(l.protocol()));
        if (listener.isEmpty()) {
            return Stream.empty();
        }
        String sidecar = path.scope().resource().map(s -> "Sidecar " + s.ref().namespacedName()).orElse("the Sidecar");
        String protocol = listener.get().protocol().isEmpty() ? "no protocol (sniffed)" : "protocol " + listener.get().protocol();
        return Stream.of(sidecar + " has an egress listener on port " + url.port() + " with " + protocol
                + ", so this pod's sidecar serves proxy " + url.endpoint() + " as HTTP and CONNECT gets 404; set its protocol to TCP");
    }

    /** HTTP through the HTTP connection manager, or sniffing; not HTTP_PROXY, whose listener istiod binds for apps that use the sidecar as their proxy. */
    private static boolean breaksConnect(String protocol) {
        return protocol.isEmpty() || PortProtocol.isHttpFamily(protocol) && !protocol.equals("HTTP_PROXY");
    }
}
