package io.proxyguard.audit;

import io.proxyguard.engine.Finding;
import io.proxyguard.engine.ResourceRef;

import java.util.List;
import java.util.Optional;

/**
 * What the audit concluded about one object: its findings (none: it passed every rule), or why it could not be
 * judged (a field of the wrong type). The uid names the object for tools that follow it across renames; it is empty
 * when the object came without one.
 */
public record ObjectVerdict(ResourceRef ref, String uid, List<Finding> findings, Optional<String> error) {

    public ObjectVerdict {
        uid = uid == null ? "" : uid;
        findings = List.copyOf(findings);
    }

    public boolean passed() {
        return findings.isEmpty() && error.isEmpty();
    }
}
