package io.proxyguard.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.manifest.SafeYaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares, rule by rule, the engine's verdict on one ServiceEntry (alone, with an empty cluster view, as a
 * stateless policy sees it) with the verdicts of the two generated policies run in CEL. For each rule the policy
 * of the severity the engine reports must fail and the other must pass; when the engine has nothing, both pass.
 * The failing policy's message must be the rule ID and the engine's first message for that rule.
 */
final class EngineAgreement {

    private static final CelPolicyRunner DENY_POLICY = new CelPolicyRunner(Severity.DENY);
    private static final CelPolicyRunner WARN_POLICY = new CelPolicyRunner(Severity.WARN);

    private EngineAgreement() {
    }

    /**
     * The disagreements on {@code object} under {@code config}, each naming the rule and both verdicts, followed
     * by the object; empty when engine and policy agree. Empty too (and {@code false} from {@link #readable})
     * when the engine cannot read the object: the API server's schema refuses such an object before admission.
     */
    static List<String> disagreements(ObjectNode object, ProxyGuardConfig config) {
        Optional<List<Finding>> findings = engineFindings(object, config);
        if (findings.isEmpty()) {
            return List.of();
        }
        Map<String, String> params = PolicyParams.from(config);
        Map<String, CelPolicyRunner.Outcome> deny = DENY_POLICY.evaluate(object, params);
        Map<String, CelPolicyRunner.Outcome> warn = WARN_POLICY.evaluate(object, params);
        List<String> problems = new ArrayList<>();
        for (RuleExpression rule : PolicyRules.all()) {
            String id = rule.ruleId();
            Optional<Finding> first = findings.get().stream().filter(f -> f.ruleId().equals(id)).findFirst();
            Severity expected = first.map(Finding::severity).orElse(Severity.OFF);
            CelPolicyRunner.Outcome denyOutcome = deny.get(id);
            CelPolicyRunner.Outcome warnOutcome = warn.get(id);
            boolean agrees = denyOutcome.failed() == (expected == Severity.DENY) && denyOutcome.error() == null
                    && warnOutcome.failed() == (expected == Severity.WARN) && warnOutcome.error() == null;
            String engineVerdict = first.map(f -> f.severity().label() + " \"" + f.message() + "\"").orElse("nothing");
            if (!agrees) {
                problems.add(id + ": engine " + engineVerdict + "; policy deny " + describe(denyOutcome)
                        + ", policy warn " + describe(warnOutcome));
            } else if (first.isPresent()) {
                String message = (expected == Severity.DENY ? denyOutcome : warnOutcome).message();
                if (!sameMessage(id, first.get().message(), message)) {
                    problems.add(id + ": engine message \"" + first.get().message() + "\", policy message \"" + message + "\"");
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.add("object:\n" + SafeYaml.write(object) + "params: " + params);
        }
        return problems;
    }

    /** The IDs of the rules the engine reports on {@code object} (none when it cannot read it). */
    static java.util.Set<String> reportedRules(ObjectNode object, ProxyGuardConfig config) {
        return engineFindings(object, config).orElse(List.of()).stream().map(Finding::ruleId)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** True when the engine reads the object (its fields have the types the CRD's schema demands). */
    static boolean readable(ObjectNode object) {
        return engineFindings(object, ProxyGuardConfig.defaults()).isPresent();
    }

    private static Optional<List<Finding>> engineFindings(ObjectNode object, ProxyGuardConfig config) {
        try {
            return Optional.of(new PolicyEngine(config).judge(KubeObject.of(object), ClusterView.EMPTY).findings());
        } catch (InvalidObjectException e) {
            return Optional.empty();
        }
    }

    /** The engine cuts messages past 200 characters with "..." and flattens line breaks; the policy does neither. */
    private static boolean sameMessage(String ruleId, String engine, String policy) {
        String expected = ruleId + ": " + engine;
        String flattened = policy.replaceAll("[\\r\\n\\t]+", " ");
        return engine.endsWith("...") ? flattened.startsWith(expected.substring(0, expected.length() - 3)) : flattened.equals(expected);
    }

    private static String describe(CelPolicyRunner.Outcome outcome) {
        if (outcome.error() != null) {
            return "ERROR " + outcome.error();
        }
        return outcome.passed() ? "passes" : "fails \"" + outcome.message() + "\"";
    }
}
