package io.proxyguard.policy;

/**
 * One engine rule as CEL: {@code passes} is true when the proxy entry satisfies the rule, {@code message} is the
 * {@code messageExpression} shown when it does not (starting with the rule ID, worded as the engine's first
 * finding), {@code fallback} the static message the API server uses if that expression fails.
 */
public record RuleExpression(String ruleId, String passes, String message, String fallback) {
}
