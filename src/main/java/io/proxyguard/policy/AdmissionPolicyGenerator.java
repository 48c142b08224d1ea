package io.proxyguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.manifest.SafeYaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes ProxyGuard's stateless ServiceEntry rules as ValidatingAdmissionPolicies that the API server evaluates
 * itself: a parameters ConfigMap ({@link PolicyParams}), and for each of the severities deny and warn one policy
 * and its binding. Both policies hold every rule; a rule runs in the policy of its severity in the parameters
 * (so {@code off} runs it in neither), which keeps the policies' text the same for every configuration.
 */
public final class AdmissionPolicyGenerator {

    /** Resources and versions matched: ServiceEntries of every served version, on CREATE and UPDATE. */
    public static final List<String> SERVICE_ENTRY_VERSIONS = List.of("v1", "v1beta1", "v1alpha3");
    /** The severities that get a policy of their own, in output order. */
    public static final List<Severity> ACTIONS = List.of(Severity.DENY, Severity.WARN);

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private AdmissionPolicyGenerator() {
    }

    /** The parameters ConfigMap, then each severity's policy and binding. */
    public static List<HasMetadata> objects(ProxyGuardConfig config, PolicySettings settings) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new ConfigMapBuilder().withNewMetadata().withName(settings.paramsName()).withNamespace(settings.namespace())
                .withLabels(labels()).endMetadata().withData(PolicyParams.from(config)).build());
        for (Severity severity : ACTIONS) {
            objects.add(inVersion(policy(severity, settings), settings.apiVersion()));
            objects.add(inVersion(binding(severity, settings), settings.apiVersion()));
        }
        return objects;
    }

    /** The policy's name for the rules at {@code severity}: {@code NAME-deny} or {@code NAME-warn}. */
    public static String policyName(PolicySettings settings, Severity severity) {
        return settings.name() + "-" + severity.label();
    }

    /** The variables of the policy for {@code severity}: its {@code action}, then the shared ones. */
    public static List<PolicyVariable> variables(Severity severity) {
        return Stream.concat(Stream.of(new PolicyVariable("action", Cel.quote(severity.label()))), sharedVariables().stream())
                .toList();
    }

    /** Every variable but {@code action}: the entry's fields and proxy detection, then each rule's own. */
    static List<PolicyVariable> sharedVariables() {
        return Stream.concat(ServiceEntryVariables.all().stream(),
                PolicyRules.all().stream().flatMap(rule -> rule.variables().stream())).toList();
    }

    /** One validation per rule: it holds unless the rule runs at this policy's action and the proxy entry breaks it. */
    public static List<Validation> validations() {
        return PolicyRules.all().stream().map(rule -> new ValidationBuilder()
                .withExpression("variables.severities[" + Cel.quote(rule.ruleId()) + "] != variables.action"
                        + " || !variables.isProxyEntry || (" + rule.passes() + ")")
                .withMessageExpression(rule.message())
                .withMessage(rule.fallback())
                .build()).toList();
    }

    /**
     * The part of the policy the chart takes as it is ({@code charts/proxyguard/files/admission-policy.yaml}):
     * the shared variables, the validations and the rules' default severities. A test keeps the file equal to this.
     */
    public static String chartFile() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("variables", sharedVariables().stream().map(AdmissionPolicyGenerator::variable).toList());
        file.put("validations", validations());
        Map<String, String> defaults = new LinkedHashMap<>();
        PolicyRules.all().forEach(rule -> defaults.put(rule.ruleId(), PolicyRules.defaultSeverity(rule.ruleId()).label()));
        file.put("defaultSeverities", defaults);
        return "# Generated by `java -jar target/proxyguard.jar policy --chart-file`; a test keeps this file in step with\n"
                + "# the code (io.proxyguard.policy). templates/admission-policy.yaml builds the policies from it.\n"
                + yaml(file).replaceFirst("^---\n", "");
    }

    /** One YAML document as people write them: quotes only where needed, long expressions on one line. */
    public static String yaml(Object object) {
        return SafeYaml.write(SERIALIZATION.convertValue(object, JsonNode.class));
    }

    private static HasMetadata policy(Severity severity, PolicySettings settings) {
        return new ValidatingAdmissionPolicyBuilder()
                .withNewMetadata().withName(policyName(settings, severity)).withLabels(labels()).endMetadata()
                .withNewSpec()
                .withFailurePolicy("Fail")
                .withNewParamKind().withApiVersion("v1").withKind("ConfigMap").endParamKind()
                .withNewMatchConstraints()
                .withResourceRules(new NamedRuleWithOperationsBuilder()
                        .withApiGroups(ServiceEntryFacts.GROUP)
                        .withApiVersions(SERVICE_ENTRY_VERSIONS)
                        .withResources("serviceentries")
                        .withOperations("CREATE", "UPDATE")
                        .withScope("Namespaced")
                        .build())
                .endMatchConstraints()
                .withVariables(variables(severity).stream().map(AdmissionPolicyGenerator::variable).toList())
                .withValidations(validations())
                .endSpec()
                .build();
    }

    private static HasMetadata binding(Severity severity, PolicySettings settings) {
        List<ValidationAction> actions = severity == Severity.DENY
                ? settings.actions() : ValidationAction.forWarnRules(settings.actions());
        return new ValidatingAdmissionPolicyBindingBuilder()
                .withNewMetadata().withName(policyName(settings, severity)).withLabels(labels()).endMetadata()
                .withNewSpec()
                .withPolicyName(policyName(settings, severity))
                .withNewParamRef().withName(settings.paramsName()).withNamespace(settings.namespace())
                .withParameterNotFoundAction("Deny").endParamRef()
                .withValidationActions(actions.stream().map(ValidationAction::apiName).toList())
                .withNewMatchResources()
                .withNamespaceSelector(new LabelSelectorBuilder().withMatchExpressions(
                        new LabelSelectorRequirementBuilder().withKey("kubernetes.io/metadata.name").withOperator("NotIn")
                                .withValues(Stream.of("kube-system", settings.namespace()).distinct().toList()).build(),
                        new LabelSelectorRequirementBuilder().withKey("proxyguard.io/ignore").withOperator("NotIn")
                                .withValues("true").build()).build())
                .endMatchResources()
                .endSpec()
                .build();
    }

    private static Variable variable(PolicyVariable variable) {
        return new Variable(variable.expression(), variable.name());
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "proxyguard");
        labels.put("app.kubernetes.io/component", "admission-policy");
        return labels;
    }

    /** v1 as built; v1beta1 has the same fields for everything written here (Kubernetes 1.28 and 1.29). */
    private static HasMetadata inVersion(HasMetadata object, PolicyApiVersion version) {
        if (version == PolicyApiVersion.V1) {
            return object;
        }
        GenericKubernetesResource generic = SERIALIZATION.convertValue(object, GenericKubernetesResource.class);
        generic.setApiVersion(version.apiVersion());
        return generic;
    }
}
