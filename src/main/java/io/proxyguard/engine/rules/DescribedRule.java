package io.proxyguard.engine.rules;

import io.proxyguard.engine.Rule;
import io.proxyguard.engine.RuleInfo;

/** A rule whose ID, severity, title and rationale are given once, to the constructor. */
abstract class DescribedRule implements Rule {

    private final RuleInfo info;

    DescribedRule(RuleInfo info) {
        this.info = info;
    }

    @Override
    public final RuleInfo info() {
        return info;
    }
}
