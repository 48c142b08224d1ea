package io.proxyguard.engine.rules;

import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.ArrayList;
import java.util.List;

/** PG101: every port of a proxy entry must be TCP, because after CONNECT the proxy is an opaque tunnel. */
final class ProxyPortNotTcpRule extends ProxyEntryRule {

    ProxyPortNotTcpRule() {
        super(new RuleInfo("PG101", Severity.DENY, "Proxy entry port is not TCP",
                "Applications open a tunnel with HTTP CONNECT and then speak TLS inside it, so the sidecar must pass "
                        + "the connection through as opaque TCP. An HTTP-family protocol (HTTP, HTTP2, HTTP_PROXY, GRPC, "
                        + "GRPC-Web) sends it to Envoy's HTTP connection manager, which has no route for CONNECT and "
                        + "answers 404 NR route_not_found. An unset protocol means protocol sniffing, which classifies "
                        + "CONNECT as HTTP/1.1 with the same result; TLS, HTTPS and the database protocols misread the "
                        + "stream too. Istio takes a ServiceEntry's protocol from ports[].protocol only, never from "
                        + "the port name. The fix sets protocol: TCP."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        List<ServicePort> ports = entry.ports();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            if (PortProtocol.isTcp(port.getProtocol())) {
                continue;
            }
            String protocol = PortProtocol.normalize(port.getProtocol());
            String shown = protocol.isEmpty() ? "(unset)" : protocol;
            violations.add(FieldPath.of("spec", "ports", i, "protocol").fixable(
                    "port " + port.getNumber() + " " + problem(protocol) + "; set protocol: TCP",
                    TextNode.valueOf("TCP"),
                    "port " + port.getNumber() + " protocol " + shown + " -> TCP"));
        }
        return violations;
    }

    private static String problem(String protocol) {
        if (protocol.isEmpty()) {
            return "has no protocol, so Istio sniffs it and answers CONNECT with 404";
        }
        if (PortProtocol.isHttpFamily(protocol)) {
            return "is " + protocol + ": Envoy's HTTP router answers CONNECT with 404";
        }
        return "is " + protocol + ", but the proxy is a plain TCP tunnel after CONNECT";
    }
}
