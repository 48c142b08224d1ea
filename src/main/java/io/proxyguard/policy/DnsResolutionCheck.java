package io.proxyguard.policy;

import java.util.List;

/** PG105 in CEL: a proxy entry does not look its placeholder host up in DNS. */
final class DnsResolutionCheck implements PolicyRule {

    @Override
    public RuleExpression expression() {
        String endpoints = "has(variables.spec.endpoints) && size(variables.spec.endpoints) > 0";
        return new RuleExpression("PG105", List.of(),
                "!(variables.resolution in " + Cel.list(Cel.DNS_RESOLUTIONS) + ")",
                "'PG105: resolution ' + variables.resolution + ' looks up the placeholder host, which has no address' + ("
                        + endpoints + " ? '; remove endpoints and set resolution: NONE' : '; set resolution: NONE')",
                "PG105: proxy entry resolves its placeholder host by DNS; set resolution: NONE");
    }
}
