package io.proxyguard.policy;

/** One engine rule expressed in CEL (one class per rule ID, next to that ID). */
interface PolicyRule {

    RuleExpression expression();
}
