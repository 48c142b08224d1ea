package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.Decision;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.model.InvalidObjectException;

import java.util.List;
import java.util.Optional;

/**
 * {@code /mutate}: applies the engine's fixes as a JSON Patch and never denies. Each applied fix becomes
 * one warning ({@code PG101 fixed: port 3128 protocol HTTP -> TCP}) so the person who ran
 * {@code kubectl apply} sees what changed. Remaining problems are left to the validating webhook, which
 * runs after every mutating one and judges the fixed object.
 */
public final class MutatingHandler implements AdmissionHandler {

    private final Evaluator evaluator;

    public MutatingHandler(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public AdmissionResult handle(AdmissionRequest request) {
        Optional<ObjectNode> object = evaluator.objectToCheck(request);
        if (object.isEmpty()) {
            return AdmissionResult.skipped();
        }
        Decision decision;
        try {
            decision = evaluator.evaluate(object.get());
        } catch (InvalidObjectException e) {
            // Nothing can be fixed in an object that cannot be read; /validate says so once, not twice.
            return new AdmissionResult(AdmissionResponse.allow(), Outcome.UNREADABLE, List.of());
        }
        if (!decision.isPatched()) {
            return new AdmissionResult(AdmissionResponse.allow(), Outcome.ALLOWED, decision.findings());
        }
        List<String> warnings = decision.appliedFixes().stream().map(MutatingHandler::fixedWarning).toList();
        return new AdmissionResult(AdmissionResponse.allowWithPatch(decision.patch()).withWarnings(Warnings.fit(warnings)),
                Outcome.PATCHED, decision.findings());
    }

    static String fixedWarning(Finding applied) {
        return applied.ruleId() + " fixed: " + applied.fix().summary();
    }
}
