package io.proxyguard.policy;

import java.util.List;

/** PG102 in CEL: every address of a proxy entry that is an IP carries its prefix length. */
final class BareIpCheck implements PolicyRule {

    @Override
    public RuleExpression expression() {
        String first = "variables.bareAddresses[0]";
        return new RuleExpression("PG102",
                List.of(new PolicyVariable("bareAddresses", "variables.blocks.filter(b, b.length >= 0 && !b.explicit)")),
                "size(variables.bareAddresses) == 0",
                "'PG102: address ' + " + first + ".text + ' has no prefix length; write ' + " + first + ".text + ("
                        + first + ".family == 4 ? '/32' : '/128') + ' to name exactly the proxy' + (variables.resolution in "
                        + "['NONE', 'STATIC'] ? '' : ' (after setting resolution: NONE)')",
                "PG102: a proxy address is a bare IP; write it as IP/32 or IP/128");
    }
}
