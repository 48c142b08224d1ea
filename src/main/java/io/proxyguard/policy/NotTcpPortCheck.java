package io.proxyguard.policy;

import java.util.List;

/** PG101 in CEL: every port of a proxy entry is TCP (any case, spaces around it ignored); unset is not TCP. */
final class NotTcpPortCheck implements PolicyRule {

    @Override
    public RuleExpression expression() {
        String first = "variables.nonTcpPorts[0]";
        String protocol = "variables.nonTcpProtocol";
        String number = "(has(" + first + ".number) ? string(" + first + ".number) : 'null')";
        String problem = "(" + protocol + " == '' ? 'has no protocol, so Istio sniffs it and answers CONNECT with 404' : "
                + "(" + protocol + " in " + Cel.list(Cel.HTTP_FAMILY) + " ? 'is ' + " + protocol
                + " + ': Envoy\\'s HTTP router answers CONNECT with 404' : 'is ' + " + protocol
                + " + ', but the proxy is a plain TCP tunnel after CONNECT'))";
        return new RuleExpression("PG101",
                List.of(new PolicyVariable("nonTcpPorts",
                                "variables.ports.filter(p, !(has(p.protocol) && p.protocol.trim().upperAscii() == 'TCP'))"),
                        new PolicyVariable("nonTcpProtocol", "size(variables.nonTcpPorts) > 0 && has(" + first + ".protocol) ? "
                                + first + ".protocol.trim().upperAscii() : ''")),
                "size(variables.nonTcpPorts) == 0",
                "'PG101: port ' + " + number + " + ' ' + " + problem + " + '; set protocol: TCP'",
                "PG101: a proxy entry port is not TCP; set protocol: TCP");
    }
}
