package io.proxyguard.policy;

import java.util.List;

/**
 * How to write the policy: the name its objects start with, the namespace of the parameters ConfigMap, the API
 * version, and the actions of the binding of the rules at severity deny (those at warn get the same with Deny
 * turned into Warn).
 */
public record PolicySettings(String name, String namespace, PolicyApiVersion apiVersion, List<ValidationAction> actions) {

    public static final String DEFAULT_NAME = "proxyguard";
    public static final String DEFAULT_NAMESPACE = "proxyguard-system";

    public PolicySettings {
        actions = ValidationAction.checked(List.copyOf(actions));
    }

    public static PolicySettings defaults() {
        return new PolicySettings(DEFAULT_NAME, DEFAULT_NAMESPACE, PolicyApiVersion.V1, List.of(ValidationAction.DENY));
    }

    /** The parameters ConfigMap's name. */
    public String paramsName() {
        return name + "-params";
    }
}
