package io.proxyguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.proxyguard.engine.Severity;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one generated policy the way the API server does, with Google's CEL for Java: the environment has the
 * standard functions and macros plus the strings extension's functions that Kubernetes 1.28 already has
 * ({@code charAt} ... {@code upperAscii}, without {@code format}, {@code quote} or {@code reverse}), and
 * nothing from Kubernetes' own libraries ({@code ip()}, {@code cidr()}, {@code url()}...), which the policy must not
 * need; list and map literals must be homogeneous, as Kubernetes' {@code cel.HomogeneousAggregateLiterals()} demands. Variables are evaluated in order into {@code variables}; each validation then yields pass, fail with its
 * message, or an error (which the policy's {@code failurePolicy: Fail} turns into a failure).
 */
final class CelPolicyRunner {

    /** The strings extension of Kubernetes 1.28 (cel-go ext.Strings version 0 and the functions it had then). */
    private static final CelStringExtensions.Function[] KUBERNETES_1_28_STRINGS = {
            CelStringExtensions.Function.CHAR_AT, CelStringExtensions.Function.INDEX_OF,
            CelStringExtensions.Function.LAST_INDEX_OF, CelStringExtensions.Function.LOWER_ASCII,
            CelStringExtensions.Function.REPLACE, CelStringExtensions.Function.SPLIT,
            CelStringExtensions.Function.SUBSTRING, CelStringExtensions.Function.TRIM,
            CelStringExtensions.Function.UPPER_ASCII};

    static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current().enableHomogeneousLiterals(true).build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings(KUBERNETES_1_28_STRINGS))
            .addRuntimeLibraries(CelExtensions.strings(KUBERNETES_1_28_STRINGS))
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("params", SimpleType.DYN)
            .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();

    private final List<Compiled> variables = new ArrayList<>();
    private final List<CompiledValidation> validations = new ArrayList<>();

    /** Compiles the policy for {@code severity}; fails with CEL's message on any compile error. */
    CelPolicyRunner(Severity severity) {
        for (PolicyVariable variable : AdmissionPolicyGenerator.variables(severity)) {
            variables.add(new Compiled(variable.name(), compile(variable.expression())));
        }
        List<RuleExpression> rules = PolicyRules.all();
        List<Validation> generated = AdmissionPolicyGenerator.validations();
        for (int i = 0; i < generated.size(); i++) {
            validations.add(new CompiledValidation(rules.get(i).ruleId(),
                    compile(generated.get(i).getExpression()), compile(generated.get(i).getMessageExpression())));
        }
    }

    static CelRuntime.Program compile(String expression) {
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            return CEL.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new AssertionError("does not compile: " + expression + "\n" + e.getMessage(), e);
        }
    }

    /** Each rule's outcome on {@code object} (a Kubernetes object as JSON) with the ConfigMap {@code data}. */
    Map<String, Outcome> evaluate(JsonNode object, Map<String, String> paramsData) {
        Map<String, Object> activation = new LinkedHashMap<>();
        activation.put("object", toCel(object));
        activation.put("oldObject", NullValue.NULL_VALUE);
        activation.put("params", paramsData == null ? NullValue.NULL_VALUE : Map.of("data", paramsData));
        Map<String, Object> values = new LinkedHashMap<>();
        activation.put("variables", values);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        try {
            for (Compiled variable : variables) {
                values.put(variable.name(), variable.program().eval(activation));
            }
        } catch (CelEvaluationException e) {
            validations.forEach(v -> outcomes.put(v.ruleId(), Outcome.error(e.getMessage())));
            return outcomes;
        }
        for (CompiledValidation validation : validations) {
            outcomes.put(validation.ruleId(), run(validation, activation));
        }
        return outcomes;
    }

    private static Outcome run(CompiledValidation validation, Map<String, Object> activation) {
        try {
            Object result = validation.expression().eval(activation);
            if (!(result instanceof Boolean passed)) {
                return Outcome.error("not a bool: " + result);
            }
            if (passed) {
                return Outcome.PASS;
            }
            Object message = validation.message().eval(activation);
            return Outcome.fail(String.valueOf(message));
        } catch (CelEvaluationException e) {
            return Outcome.error(e.getMessage());
        }
    }

    /** JSON as CEL sees a Kubernetes object: maps, lists, int64, double, bool, string, null. */
    static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                map.put(field.getKey(), toCel(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        return node.asText();
    }

    /** A rule's result in one policy: passed, failed (with the message the API server shows), or an error. */
    record Outcome(boolean passed, String message, String error) {

        static final Outcome PASS = new Outcome(true, null, null);

        static Outcome fail(String message) {
            return new Outcome(false, message, null);
        }

        static Outcome error(String error) {
            return new Outcome(false, null, error);
        }

        boolean failed() {
            return !passed && error == null;
        }
    }

    private record Compiled(String name, CelRuntime.Program program) {
    }

    private record CompiledValidation(String ruleId, CelRuntime.Program expression, CelRuntime.Program message) {
    }
}
