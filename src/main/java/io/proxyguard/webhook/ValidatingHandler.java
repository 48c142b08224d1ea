package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.Decision;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.model.InvalidObjectException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code /validate}: denies (403) when any finding is at deny level, with a message joining them all
 * ({@code PG101: ...; PG104: ...}), and turns warn-level findings into API-server warnings. On UPDATE,
 * denials the stored object already had are downgraded to warnings (see {@link PreexistingDenials}).
 * An object whose fields the engine cannot read is allowed with one warning: the API server's own
 * schema validation, which runs after admission webhooks, rejects it with a better message.
 */
public final class ValidatingHandler implements AdmissionHandler {

    static final String DENIAL_SEPARATOR = "; ";

    private final Evaluator evaluator;

    public ValidatingHandler(Evaluator evaluator) {
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
            decision = evaluator.judge(object.get());
        } catch (InvalidObjectException e) {
            AdmissionResponse response = AdmissionResponse.allow().withWarnings(Warnings.fit(List.of(unreadableWarning(e))));
            return new AdmissionResult(response, Outcome.UNREADABLE, List.of());
        }
        PreexistingDenials.Split denials = request.operation() == Operation.UPDATE
                ? PreexistingDenials.split(decision.denials(), request.oldObject(), evaluator)
                : new PreexistingDenials.Split(decision.denials(), List.of());
        List<String> warnings = new ArrayList<>();
        denials.predating().forEach(f -> warnings.add(PreexistingDenials.warning(f)));
        decision.warnings().forEach(f -> warnings.add(f.headline()));
        List<String> fitted = Warnings.fit(warnings);
        if (!denials.introduced().isEmpty()) {
            String message = denials.introduced().stream().map(Finding::headline).collect(Collectors.joining(DENIAL_SEPARATOR));
            return new AdmissionResult(AdmissionResponse.deny(message).withWarnings(fitted), Outcome.DENIED, decision.findings());
        }
        Outcome outcome = fitted.isEmpty() ? Outcome.ALLOWED : Outcome.WARNED;
        return new AdmissionResult(AdmissionResponse.allow().withWarnings(fitted), outcome, decision.findings());
    }

    static String unreadableWarning(InvalidObjectException e) {
        return "ProxyGuard: not checked, " + e.getMessage();
    }
}
