package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.ProxyEnvInjector;
import io.proxyguard.engine.model.KubeObject;

import java.util.List;
import java.util.Optional;

/**
 * {@code /inject}: the optional proxy environment injection for Pods. Registered only by a webhook whose
 * namespaceSelector picks namespaces labelled {@code proxyguard.io/inject: enabled}; never denies; one
 * warning per variable added, so the change is visible.
 */
public final class InjectingHandler implements AdmissionHandler {

    private final Evaluator evaluator;

    public InjectingHandler(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public AdmissionResult handle(AdmissionRequest request) {
        Optional<ObjectNode> pod = request.objectToJudge().filter(o -> ProxyEnvInjector.appliesTo(KubeObject.of(o)));
        if (pod.isEmpty()) {
            return AdmissionResult.skipped();
        }
        ProxyEnvInjector.Injection injection = evaluator.inject(pod.get());
        if (!injection.isPatched()) {
            return new AdmissionResult(AdmissionResponse.allow(), Outcome.ALLOWED, List.of());
        }
        List<String> warnings = injection.changes().stream().map(change -> "ProxyGuard injected " + change).toList();
        return new AdmissionResult(AdmissionResponse.allowWithPatch(injection.patch()).withWarnings(Warnings.fit(warnings)),
                Outcome.PATCHED, List.of());
    }
}
