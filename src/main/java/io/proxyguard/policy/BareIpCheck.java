package io.proxyguard.policy;

/** PG102 in CEL: every address of a proxy entry that is an IP carries its prefix length. */
final class BareIpCheck implements PolicyRule {

    private static final String FIRST = "variables.blocks.filter(b, b.length >= 0 && !b.explicit)[0]";

    @Override
    public RuleExpression expression() {
        return new RuleExpression("PG102",
                "variables.blocks.all(b, b.length < 0 || b.explicit)",
                "'PG102: address ' + " + FIRST + ".text + ' has no prefix length; write ' + " + FIRST + ".text + ("
                        + FIRST + ".family == 4 ? '/32' : '/128') + ' to name exactly the proxy' + (variables.resolution in "
                        + "['NONE', 'STATIC'] ? '' : ' (after setting resolution: NONE)')",
                "PG102: a proxy address is a bare IP; write it as IP/32 or IP/128");
    }
}
