package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.Decision;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.ProxyEnvInjector;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The engine as the webhook sees it: whichever engine is in force right now (a config reload swaps it)
 * judged against whichever view of the cluster is current. Each call reads both suppliers once.
 */
public record Evaluator(Supplier<PolicyEngine> engine, Supplier<ClusterView> view) {

    public Decision evaluate(ObjectNode object) throws InvalidObjectException {
        return engine.get().evaluate(KubeObject.of(object), view.get());
    }

    /** The findings alone, no fixes or patch ({@link PolicyEngine#judge}): enough to allow or deny. */
    public Decision judge(ObjectNode object) throws InvalidObjectException {
        return engine.get().judge(KubeObject.of(object), view.get());
    }

    /** The optional proxy environment injection, with the configuration in force. */
    public ProxyEnvInjector.Injection inject(ObjectNode object) {
        return engine.get().injector().inject(KubeObject.of(object));
    }

    /** The object of {@code request} that the rules judge: written by it, and of a kind ProxyGuard checks. */
    public Optional<ObjectNode> objectToCheck(AdmissionRequest request) {
        return request.objectToJudge().filter(this::checks);
    }

    /** True when ProxyGuard has rules for this object's kind. */
    public boolean checks(ObjectNode object) {
        return PolicyEngine.isChecked(KubeObject.of(object));
    }
}
