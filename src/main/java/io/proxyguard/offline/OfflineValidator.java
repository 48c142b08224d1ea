package io.proxyguard.offline;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.Decision;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.report.InputError;
import io.proxyguard.report.Located;
import io.proxyguard.report.ValidationReport;

import java.util.ArrayList;
import java.util.List;

/**
 * The offline adapter: judges every object of a set of manifests with the cluster view built from the
 * same manifests, so cross-object rules work without a cluster.
 */
public final class OfflineValidator {

    private final PolicyEngine engine;

    public OfflineValidator(PolicyEngine engine) {
        this.engine = engine;
    }

    /** The report, and every document with its fixes applied (documents without fixes are unchanged). */
    public record Result(ValidationReport report, List<JsonNode> fixedDocuments) {
    }

    public Result validate(List<ManifestDocument> documents) {
        List<KubeObject> all = documents.stream().flatMap(d -> d.objects().stream()).toList();
        ClusterView view = IndexedClusterView.of(all, engine.detector());
        List<Located> findings = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        List<JsonNode> fixedDocuments = new ArrayList<>();
        int fixed = 0;
        for (ManifestDocument document : documents) {
            List<JsonNode> fixedObjects = new ArrayList<>();
            for (KubeObject object : document.objects()) {
                try {
                    Decision decision = engine.evaluate(object, view);
                    decision.findings().forEach(f -> findings.add(new Located(f, document.source(), document.line())));
                    fixedObjects.add(decision.fixed());
                    fixed += decision.isPatched() ? 1 : 0;
                } catch (InvalidObjectException e) {
                    errors.add(new InputError(document.source(), document.line(), e.getMessage()));
                    fixedObjects.add(object.json());
                }
            }
            fixedDocuments.add(document.withObjects(fixedObjects));
        }
        return new Result(new ValidationReport(findings, errors, all.size(), fixed), fixedDocuments);
    }
}
