package io.proxyguard.policy;

import java.util.List;

/** PG108 in CEL: a proxy entry names one proxy IP. */
final class SeveralAddressesCheck implements PolicyRule {

    @Override
    public RuleExpression expression() {
        return new RuleExpression("PG108", List.of(),
                "size(variables.addresses) < 2",
                "'PG108: proxy entry has ' + string(size(variables.addresses)) + ' addresses but Istio routes one per "
                        + "placeholder host; write one entry per proxy IP'",
                "PG108: proxy entry has several addresses; write one entry per proxy IP");
    }
}
