package io.proxyguard.engine;

/** A policy rule. Each rule is one class with one stable ID; see {@link io.proxyguard.engine.rules.RuleCatalog}. */
public interface Rule {

    RuleInfo info();

    default String id() {
        return info().id();
    }
}
