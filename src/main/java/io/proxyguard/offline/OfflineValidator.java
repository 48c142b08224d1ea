package io.proxyguard.offline;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.Decision;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.mesh.MeshProblem;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import io.proxyguard.manifest.InputResult;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.report.InputError;
import io.proxyguard.report.Located;
import io.proxyguard.report.SkippedInput;
import io.proxyguard.report.ValidationReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The offline adapter: judges every object of a set of inputs with the cluster view built from the objects of all
 * of them, so cross-object rules work without a cluster. Inputs that failed or were skipped are carried into the
 * report; the others are judged all the same.
 */
public final class OfflineValidator {

    private final PolicyEngine engine;

    public OfflineValidator(PolicyEngine engine) {
        this.engine = engine;
    }

    /**
     * The report, and what {@code --fix} writes for each input, in input order. The report counts as fixed the
     * objects {@code --fix} writes fixed: those of rendered inputs are not written, so not counted.
     */
    public record Result(ValidationReport report, List<FixedInput> fixedInputs) {
    }

    /**
     * What {@code --fix} writes for one input: its documents with their fixes applied (unchanged where no fix exists),
     * or, when nothing of it can be written, why not.
     */
    public record FixedInput(String source, List<JsonNode> documents, Optional<String> notWritten) {
    }

    public Result validate(List<InputResult> inputs) {
        List<KubeObject> all = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        List<SkippedInput> skipped = new ArrayList<>();
        for (InputResult input : inputs) {
            if (input instanceof InputResult.Read read) {
                read.documents().forEach(document -> all.addAll(document.objects()));
            } else if (input instanceof InputResult.Failed failed) {
                errors.add(failed.error());
            } else if (input instanceof InputResult.Skipped skip) {
                skipped.add(skip.input());
            }
        }
        ClusterView view = IndexedClusterView.of(all, engine.detector());
        view.mesh().problems().forEach(problem -> errors.add(meshProblemAt(problem, inputs)));
        List<Located> findings = new ArrayList<>();
        List<FixedInput> fixedInputs = new ArrayList<>();
        int fixed = 0;
        for (InputResult input : inputs) {
            if (!(input instanceof InputResult.Read read)) {
                fixedInputs.add(new FixedInput(input.source(), List.of(), Optional.of(input instanceof InputResult.Skipped
                        ? "skipped (see the report)" : "it could not be read (see the report)")));
                continue;
            }
            List<JsonNode> fixedDocuments = new ArrayList<>();
            for (ManifestDocument document : read.documents()) {
                List<JsonNode> fixedObjects = new ArrayList<>();
                for (KubeObject object : document.objects()) {
                    try {
                        Decision decision = engine.evaluate(object, view);
                        decision.findings().forEach(f -> findings.add(new Located(f, document.source(), document.line())));
                        fixedObjects.add(decision.fixed());
                        fixed += decision.isPatched() && read.renderedBy().isEmpty() ? 1 : 0;
                    } catch (InvalidObjectException e) {
                        errors.add(new InputError(document.source(), document.line(), e.getMessage()));
                        fixedObjects.add(object.json());
                    }
                }
                fixedDocuments.add(document.withObjects(fixedObjects));
            }
            fixedInputs.add(read.renderedBy().isPresent()
                    ? new FixedInput(read.source(), List.of(), read.renderedBy().map(tool -> "rendered by " + tool
                            + ": fix its sources, this output is not what anyone wrote"))
                    : new FixedInput(read.source(), fixedDocuments, Optional.empty()));
        }
        return new Result(new ValidationReport(findings, errors, skipped, all.size(), fixed), fixedInputs);
    }

    /** A mesh ConfigMap setting that cannot be read, as an error at the document that holds the ConfigMap. */
    private static InputError meshProblemAt(MeshProblem problem, List<InputResult> inputs) {
        for (InputResult input : inputs) {
            if (input instanceof InputResult.Read read) {
                for (ManifestDocument document : read.documents()) {
                    if (document.objects().stream().anyMatch(o -> ClusterView.sameObject(o.ref(), problem.configMap()))) {
                        return new InputError(document.source(), document.line(), problem.message());
                    }
                }
            }
        }
        return new InputError(problem.configMap().display(), 0, problem.message());
    }
}
