package io.proxyguard.engine;

/** One rule's verdict on one object, at the severity in force. */
public record Finding(String ruleId, Severity severity, ResourceRef resource, String path, String message, Fix fix) {

    /** {@code PG101: message}, the form used in denials and warnings. */
    public String headline() {
        return ruleId + ": " + message;
    }
}
