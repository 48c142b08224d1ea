package io.proxyguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;

/**
 * The engine's verdict on one object: the findings at their severity in force, the fixes it applied, the
 * fixed object (the original when nothing was fixed) and the RFC 6902 patch from the original to it.
 */
public record Decision(ResourceRef resource, List<Finding> findings, List<Finding> appliedFixes, JsonNode fixed, ArrayNode patch) {

    public Decision {
        findings = List.copyOf(findings);
        appliedFixes = List.copyOf(appliedFixes);
    }

    /** A decision with nothing to say: the object is not one ProxyGuard checks, or it is clean. */
    public static Decision clean(ResourceRef resource, JsonNode original) {
        return new Decision(resource, List.of(), List.of(), original, FixApplier.noPatch());
    }

    public List<Finding> denials() {
        return findings.stream().filter(f -> f.severity() == Severity.DENY).toList();
    }

    public List<Finding> warnings() {
        return findings.stream().filter(f -> f.severity() == Severity.WARN).toList();
    }

    public boolean isPatched() {
        return !patch.isEmpty();
    }
}
