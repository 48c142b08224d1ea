package io.proxyguard.audit;

import io.proxyguard.engine.Decision;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One pass of the audit: every object {@link CheckedObjects} lists is judged by the engine against {@code view}, the
 * same engine and rules as admission. Only the verdicts are kept; each page of objects is garbage once judged, so
 * memory follows the view, one page and the findings, never the size of the cluster's objects.
 */
public final class AuditRun {

    private AuditRun() {
    }

    public static AuditResult judge(PolicyEngine engine, ClusterView view, CheckedObjects objects) {
        List<ObjectVerdict> verdicts = new ArrayList<>();
        judge(engine, view, objects, verdicts::add);
        return new AuditResult(verdicts);
    }

    /** Hands each verdict to {@code verdicts} as it is reached and keeps none: for a caller that folds them as they come. */
    public static void judge(PolicyEngine engine, ClusterView view, CheckedObjects objects, Consumer<ObjectVerdict> verdicts) {
        objects.forEachPage(page -> page.forEach(object -> verdicts.accept(verdict(engine, view, object))));
    }

    private static ObjectVerdict verdict(PolicyEngine engine, ClusterView view, KubeObject object) {
        String uid = object.json().path("metadata").path("uid").asText("");
        try {
            Decision decision = engine.judge(object, view);
            return new ObjectVerdict(object.ref(), uid, decision.findings(), Optional.empty());
        } catch (InvalidObjectException e) {
            return new ObjectVerdict(object.ref(), uid, List.of(), Optional.of(e.getMessage()));
        }
    }
}
