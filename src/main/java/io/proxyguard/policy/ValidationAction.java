package io.proxyguard.policy;

import java.util.List;

/** A binding's {@code validationActions}: what the API server does with a failed validation. */
public enum ValidationAction {
    /** Refuse the request. */
    DENY("Deny"),
    /** Admit it with a warning to the client. */
    WARN("Warn"),
    /** Admit it and record the failure in the audit event ({@code validation.policy.admission.k8s.io/validation_failure}). */
    AUDIT("Audit");

    private final String apiName;

    ValidationAction(String apiName) {
        this.apiName = apiName;
    }

    /** The name the API uses: {@code Deny}, {@code Warn}, {@code Audit}. */
    public String apiName() {
        return apiName;
    }

    /** The actions of the rules at severity warn: those of deny with Deny turned into Warn (a warn rule never refuses). */
    static List<ValidationAction> forWarnRules(List<ValidationAction> denyActions) {
        return denyActions.stream().map(action -> action == DENY ? WARN : action).distinct().toList();
    }

    /** Checks what Kubernetes checks: at least one action, no duplicates, never Deny with Warn. */
    static List<ValidationAction> checked(List<ValidationAction> actions) {
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("at least one validation action is needed (deny, warn, audit)");
        }
        if (actions.contains(DENY) && actions.contains(WARN)) {
            throw new IllegalArgumentException("deny and warn cannot be combined (Kubernetes refuses it: a denied request "
                    + "already carries the message); use deny,audit or warn,audit");
        }
        return actions.stream().distinct().toList();
    }
}
