package io.proxyguard.policy;

import java.util.List;

/** PG104 in CEL: a proxy entry has at least one address. */
final class NoAddressCheck implements PolicyRule {

    @Override
    public RuleExpression expression() {
        return new RuleExpression("PG104", List.of(),
                "size(variables.addresses) > 0",
                "'PG104: proxy entry has no addresses, so Istio listens on 0.0.0.0:' + (size(variables.portNumbers) == 0 ? 'PORT' "
                        + ": string(variables.portNumbers[0])) + ' and lets any IP through; add addresses: [PROXY_IP/32]'",
                "PG104: proxy entry has no addresses; add addresses: [PROXY_IP/32]");
    }
}
