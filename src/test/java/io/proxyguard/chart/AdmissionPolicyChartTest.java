package io.proxyguard.chart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.policy.AdmissionPolicyGenerator;
import io.proxyguard.policy.PolicyApiVersion;
import io.proxyguard.policy.PolicyParams;
import io.proxyguard.policy.PolicySettings;
import io.proxyguard.policy.ValidationAction;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's ValidatingAdmissionPolicies are the generator's: its generated file is the code's output, and
 * what {@code helm template} renders from {@code values.config} equals what {@code proxyguard policy} prints for
 * the configuration the chart mounts. Every object also reads strictly into fabric8's admissionregistration model.
 */
class AdmissionPolicyChartTest {

    private static final Helm HELM = Helm.installed();
    private static final String SCENARIO = "admission-policy-values.yaml";
    private static final String FULLNAME = "pg-proxyguard";
    private static final Set<String> LIST_KEYS = Set.of(PolicyParams.PROXY_ADDRESSES, PolicyParams.PROXY_HOSTS,
            PolicyParams.PROXY_PORTS);

    @Test
    void generatedFileIsInStepWithTheCode() throws Exception {
        assertThat(Files.readString(Helm.CHART.resolve("files/admission-policy.yaml")))
                .as("charts/proxyguard/files/admission-policy.yaml is stale: regenerate it with "
                        + "java -jar target/proxyguard.jar policy --chart-file > charts/proxyguard/files/admission-policy.yaml")
                .isEqualTo(AdmissionPolicyGenerator.chartFile());
    }

    @Test
    void rendersWhatTheGeneratorWritesForTheMountedConfiguration() throws Exception {
        RenderedChart chart = HELM.render(Helm.scenario(SCENARIO));
        ProxyGuardConfig config = ConfigLoader.parse(
                chart.get(ConfigMap.class, FULLNAME + "-config").getData().get("config.yaml"), "chart config");
        List<HasMetadata> expected = AdmissionPolicyGenerator.objects(config, new PolicySettings(FULLNAME, Helm.NAMESPACE,
                PolicyApiVersion.V1, List.of(ValidationAction.DENY, ValidationAction.AUDIT)));

        assertThat(listsAsSets(chart.get(ConfigMap.class, FULLNAME + "-params").getData()))
                .isEqualTo(listsAsSets(((ConfigMap) expected.get(0)).getData()));
        for (String severity : List.of("deny", "warn")) {
            String name = FULLNAME + "-" + severity;
            assertThat(chart.get(ValidatingAdmissionPolicy.class, name).getSpec())
                    .isEqualTo(find(expected, ValidatingAdmissionPolicy.class, name).getSpec());
            assertThat(chart.get(ValidatingAdmissionPolicyBinding.class, name).getSpec())
                    .isEqualTo(find(expected, ValidatingAdmissionPolicyBinding.class, name).getSpec());
        }
        assertThat(chart.get(ValidatingAdmissionPolicyBinding.class, FULLNAME + "-warn").getSpec().getValidationActions())
                .containsExactly("Warn", "Audit");
    }

    @Test
    void rendersTheScenarioWithOnlyFieldsKubernetesKnows() {
        RenderedChart chart = HELM.render(Helm.scenario(SCENARIO));

        assertThat(chart.all(ValidatingAdmissionPolicy.class)).hasSize(2);
        assertThat(chart.all(ValidatingAdmissionPolicyBinding.class)).hasSize(2);
        for (HasMetadata object : chart.objects()) {
            assertThat(UnknownFields.in(object)).as("unknown fields in %s/%s", object.getKind(), object.getMetadata().getName())
                    .isEmpty();
        }
    }

    @Test
    void rendersNoPolicyByDefaultAndV1beta1OnRequest() {
        assertThat(HELM.render().all(ValidatingAdmissionPolicy.class)).isEmpty();

        RenderedChart beta = HELM.render("--set", "admissionPolicy.enabled=true", "--set", "admissionPolicy.apiVersion=v1beta1");
        List<GenericKubernetesResource> policies = beta.custom("ValidatingAdmissionPolicy");
        assertThat(policies).extracting(GenericKubernetesResource::getApiVersion)
                .containsOnly("admissionregistration.k8s.io/v1beta1").hasSize(2);
    }

    @Test
    void worksWithTheWebhooksOff() {
        RenderedChart chart = HELM.render(concat(Helm.scenario("webhooks-off-values.yaml"), "--set", "admissionPolicy.enabled=true"));

        assertThat(chart.webhookConfigurations()).isEmpty();
        assertThat(chart.all(ValidatingAdmissionPolicyBinding.class)).hasSize(2);
    }

    @Test
    void generatorOutputReadsStrictlyIntoTheAdmissionRegistrationModelInBothVersions() {
        for (PolicyApiVersion version : PolicyApiVersion.values()) {
            List<HasMetadata> objects = AdmissionPolicyGenerator.objects(ProxyGuardConfig.defaults(),
                    new PolicySettings("proxyguard", "proxyguard-system", version, List.of(ValidationAction.WARN)));
            for (HasMetadata object : objects) {
                HasMetadata typed = asV1(object);
                assertThat(typed).isNotInstanceOf(GenericKubernetesResource.class);
                assertThat(UnknownFields.in(typed)).as("unknown fields in %s %s", version, object.getKind()).isEmpty();
            }
        }
    }

    /**
     * fabric8 7.5.2 no longer ships v1beta1 admission policy classes; the v1beta1 objects written here use only
     * fields v1beta1 had in Kubernetes 1.28 (the same as v1's), so they are read through the v1 model.
     */
    private static HasMetadata asV1(HasMetadata object) {
        ObjectNode json = RenderedChart.SERIALIZATION.convertValue(object, ObjectNode.class);
        json.put("apiVersion", json.path("apiVersion").asText().replace("/v1beta1", "/v1"));
        return RenderedChart.SERIALIZATION.convertValue(json, HasMetadata.class);
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    /** Comma-separated lists compared as sets: Helm keeps the values' order, the configuration does not. */
    private static Map<String, Object> listsAsSets(Map<String, String> data) {
        Map<String, Object> result = new java.util.TreeMap<>();
        data.forEach((key, value) -> result.put(key, LIST_KEYS.contains(key)
                ? new TreeSet<>(Arrays.asList(value.split(","))) : value));
        return result;
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
