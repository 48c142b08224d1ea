package io.proxyguard.policy;

import io.proxyguard.engine.Severity;
import io.proxyguard.engine.rules.RuleCatalog;

import java.util.List;
import java.util.stream.Stream;

/**
 * The engine's stateless ServiceEntry rules that CEL can express, in ID order. PG107, PG109, PG110 and PG111
 * need other objects (workloads, other entries, Services) and stay with the webhook.
 */
final class PolicyRules {

    private static final List<RuleExpression> ALL = Stream.of(new NotTcpPortCheck(), new BareIpCheck(),
            new WideAddressCheck(), new NoAddressCheck(), new DnsResolutionCheck(), new MeshInternalCheck(),
            new SeveralAddressesCheck()).map(PolicyRule::expression).toList();

    private PolicyRules() {
    }

    static List<RuleExpression> all() {
        return ALL;
    }

    /** The rule's default severity, read from the engine's catalog (one source of truth). */
    static Severity defaultSeverity(String ruleId) {
        return RuleCatalog.standard().byId(ruleId)
                .orElseThrow(() -> new IllegalStateException("no engine rule " + ruleId))
                .info().defaultSeverity();
    }
}
