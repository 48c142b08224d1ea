package io.proxyguard.engine;

import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.List;

/** A rule on Istio ServiceEntries. It returns what it finds, never throws for bad input. */
public interface ServiceEntryRule extends Rule {

    List<Violation> check(ServiceEntryFacts entry, RuleContext context);
}
