package io.proxyguard.policy;

/** PG103 in CEL: every address of a proxy entry is an IP or CIDR that names exactly one host. */
final class WideAddressCheck implements PolicyRule {

    private static final String FIRST = "variables.blocks.filter(b, b.length != b.bits)[0]";

    @Override
    public RuleExpression expression() {
        String hostBits = "(" + FIRST + ".bits - " + FIRST + ".length)";
        String count = "(" + hostBits + " < 31 ? string(variables.powersOfTwo[" + hostBits + "]) : '2^' + string(" + hostBits + "))";
        String shortened = "(size(" + FIRST + ".raw) > 60 ? " + FIRST + ".raw.substring(0, 60) + '...' : " + FIRST + ".raw)";
        return new RuleExpression("PG103",
                "variables.blocks.all(b, b.length == b.bits)",
                "'PG103: ' + (" + FIRST + ".length < 0 ? 'address \\'' + " + shortened
                        + " + '\\' is not an IP or CIDR; use the proxy\\'s IP as IP/32' : 'address ' + " + FIRST + ".raw + ' covers ' + "
                        + count + " + ' addresses, not just the proxy; use the proxy\\'s IP as /' + string(" + FIRST + ".bits))",
                "PG103: a proxy address is a range or not an IP; use the proxy's IP as IP/32");
    }
}
