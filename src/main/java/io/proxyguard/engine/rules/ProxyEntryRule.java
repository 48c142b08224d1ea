package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.ServiceEntryRule;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.List;

/** A ServiceEntry rule that only has something to say about proxy entries. */
abstract class ProxyEntryRule extends DescribedRule implements ServiceEntryRule {

    ProxyEntryRule(RuleInfo info) {
        super(info);
    }

    @Override
    public final List<Violation> check(ServiceEntryFacts entry, RuleContext context) {
        return context.isProxyEntry() ? checkProxyEntry(entry, context) : List.of();
    }

    abstract List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context);
}
