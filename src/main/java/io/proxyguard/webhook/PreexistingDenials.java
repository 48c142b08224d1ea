package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.model.InvalidObjectException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The UPDATE rule: an update must not start failing only because a rule got stricter after the object
 * was stored. The stored object ({@code oldObject}) is judged with the rules in force now; a deny finding
 * of the new object that the stored object already had, same rule and same field path, does not block
 * the update and becomes a warning instead. A denial the update introduces still blocks it.
 */
final class PreexistingDenials {

    private PreexistingDenials() {
    }

    /** Denials split into those this update introduces and those the stored object already had. */
    record Split(List<Finding> introduced, List<Finding> predating) {
    }

    static Split split(List<Finding> denials, Optional<ObjectNode> oldObject, Evaluator evaluator) {
        if (denials.isEmpty() || oldObject.isEmpty() || !evaluator.checks(oldObject.get())) {
            return new Split(denials, List.of());
        }
        Set<String> before;
        try {
            before = evaluator.judge(oldObject.get()).denials().stream().map(PreexistingDenials::key).collect(Collectors.toSet());
        } catch (InvalidObjectException e) {
            return new Split(denials, List.of());
        }
        List<Finding> introduced = new ArrayList<>();
        List<Finding> predating = new ArrayList<>();
        for (Finding denial : denials) {
            (before.contains(key(denial)) ? predating : introduced).add(denial);
        }
        return new Split(List.copyOf(introduced), List.copyOf(predating));
    }

    /** The warning for a denial that predates this update; the note comes first so truncation keeps it. */
    static String warning(Finding predating) {
        return predating.ruleId() + " (predates this update, not blocking): " + predating.message();
    }

    private static String key(Finding finding) {
        return finding.ruleId() + " " + finding.path();
    }
}
