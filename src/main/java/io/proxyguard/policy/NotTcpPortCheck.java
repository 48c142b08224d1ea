package io.proxyguard.policy;

/** PG101 in CEL: every port of a proxy entry is TCP (any case, spaces around it ignored); unset is not TCP. */
final class NotTcpPortCheck implements PolicyRule {

    private static final String FIRST = "variables.ports.filter(p, !(has(p.protocol) && p.protocol.trim().upperAscii() == 'TCP'))[0]";
    private static final String PROTOCOL = "(has(" + FIRST + ".protocol) ? " + FIRST + ".protocol.trim().upperAscii() : '')";

    @Override
    public RuleExpression expression() {
        String number = "(has(" + FIRST + ".number) ? string(" + FIRST + ".number) : 'null')";
        String problem = "(" + PROTOCOL + " == '' ? 'has no protocol, so Istio sniffs it and answers CONNECT with 404' : "
                + "(" + PROTOCOL + " in " + Cel.list(Cel.HTTP_FAMILY) + " ? 'is ' + " + PROTOCOL
                + " + ': Envoy\\'s HTTP router answers CONNECT with 404' : 'is ' + " + PROTOCOL
                + " + ', but the proxy is a plain TCP tunnel after CONNECT'))";
        return new RuleExpression("PG101",
                "variables.ports.all(p, has(p.protocol) && p.protocol.trim().upperAscii() == 'TCP')",
                "'PG101: port ' + " + number + " + ' ' + " + problem + " + '; set protocol: TCP'",
                "PG101: a proxy entry port is not TCP; set protocol: TCP");
    }
}
