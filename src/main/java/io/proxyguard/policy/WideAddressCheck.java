package io.proxyguard.policy;

import java.util.List;

/** PG103 in CEL: every address of a proxy entry is an IP or CIDR that names exactly one host. */
final class WideAddressCheck implements PolicyRule {

    @Override
    public RuleExpression expression() {
        String first = "variables.wideAddresses[0]";
        String hostBits = "variables.wideHostBits";
        String count = "(" + hostBits + " < 31 ? string(variables.powersOfTwo[" + hostBits + "]) : '2^' + string(" + hostBits + "))";
        String shortened = "(size(" + first + ".raw) > 60 ? " + first + ".raw.substring(0, 60) + '...' : " + first + ".raw)";
        return new RuleExpression("PG103",
                List.of(new PolicyVariable("wideAddresses", "variables.blocks.filter(b, b.length != b.bits)"),
                        new PolicyVariable("wideHostBits", "size(variables.wideAddresses) > 0 && " + first + ".length >= 0 ? "
                                + first + ".bits - " + first + ".length : 0")),
                "size(variables.wideAddresses) == 0",
                "'PG103: ' + (" + first + ".length < 0 ? 'address \\'' + " + shortened
                        + " + '\\' is not an IP or CIDR; use the proxy\\'s IP as IP/32' : 'address ' + " + first + ".raw + ' covers ' + "
                        + count + " + ' addresses, not just the proxy; use the proxy\\'s IP as /' + string(" + first + ".bits))",
                "PG103: a proxy address is a range or not an IP; use the proxy's IP as IP/32");
    }
}
