package io.proxyguard.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How to write the policy: the name its objects start with, the namespace of the parameters ConfigMap, the API
 * version, and the actions of the binding of the rules at severity deny (those at warn get the same with Deny
 * turned into Warn).
 */
public record PolicySettings(String name, String namespace, PolicyApiVersion apiVersion, List<ValidationAction> actions) {

    public static final String DEFAULT_NAME = "proxyguard";
    public static final String DEFAULT_NAMESPACE = "proxyguard-system";

    /** A DNS label: what a namespace must be, and (with the suffixes added) keeps every object name valid. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** The longest suffix added to the name ({@code -params}), within a ConfigMap name's 253 characters. */
    private static final int MAX_NAME_LENGTH = 253 - "-params".length();

    public PolicySettings {
        if (!DNS_LABEL.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name '" + name + "' must be lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit");
        }
        if (!DNS_LABEL.matcher(namespace).matches() || namespace.length() > 63) {
            throw new IllegalArgumentException("namespace '" + namespace + "' is not a valid namespace name");
        }
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
