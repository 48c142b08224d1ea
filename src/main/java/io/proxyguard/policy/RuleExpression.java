package io.proxyguard.policy;

import java.util.List;

/**
 * One engine rule as CEL: {@code passes} is true when the proxy entry satisfies the rule, {@code message} is the
 * {@code messageExpression} shown when it does not (starting with the rule ID, worded as the engine's first
 * finding), {@code fallback} the static message the API server uses if that expression fails, and
 * {@code variables} the rule's own sub-expressions (its offenders), which the API server evaluates only when used.
 */
public record RuleExpression(String ruleId, List<PolicyVariable> variables, String passes, String message, String fallback) {

    public RuleExpression {
        variables = List.copyOf(variables);
    }
}
