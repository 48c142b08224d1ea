package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The webhook configurations: what the API server sends to ProxyGuard, when, and what happens if it is down. */
class WebhookConfigurationTest {

    private static final Helm HELM = Helm.installed();
    private static final String FULLNAME = "pg-proxyguard";

    private final RenderedChart defaults = HELM.render();

    @Test
    void mutatesServiceEntriesOnlyAndIgnoresFailuresByDefault() {
        MutatingWebhookConfiguration config = defaults.get(MutatingWebhookConfiguration.class, FULLNAME);

        assertThat(config.getWebhooks()).extracting(MutatingWebhook::getName)
                .containsExactly("mutate-serviceentries.proxyguard.io");
        MutatingWebhook webhook = config.getWebhooks().get(0);
        assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/mutate");
        assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(webhook.getReinvocationPolicy()).isEqualTo("Never");
        assertServiceEntryRules(webhook.getRules());
        assertCommonSettings(webhook.getAdmissionReviewVersions(), webhook.getSideEffects(), webhook.getTimeoutSeconds());
    }

    @Test
    void proxyEnvInjectionIsOffByDefaultAndWhenOnOnlyReachesPodsInLabelledNamespaces() {
        RenderedChart chart = HELM.render("--set", "webhooks.injectProxyEnv.enabled=true");

        MutatingWebhook inject = chart.get(MutatingWebhookConfiguration.class, FULLNAME).getWebhooks().stream()
                .filter(w -> w.getName().equals("inject-proxy-env.proxyguard.io")).findFirst().orElseThrow();
        assertThat(inject.getClientConfig().getService().getPath()).isEqualTo("/inject");
        assertThat(inject.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(inject.getNamespaceSelector().getMatchLabels()).containsExactly(Map.entry("proxyguard.io/inject", "enabled"));
        assertThat(inject.getNamespaceSelector().getMatchExpressions()).extracting(LabelSelectorRequirement::getKey)
                .contains("kubernetes.io/metadata.name", "proxyguard.io/ignore");
        assertThat(inject.getRules()).extracting(RuleWithOperations::getResources, RuleWithOperations::getOperations)
                .containsExactly(tuple(List.of("pods"), List.of("CREATE")));
        assertCommonSettings(inject.getAdmissionReviewVersions(), inject.getSideEffects(), inject.getTimeoutSeconds());

        RenderedChart onlyInjection = HELM.render("--set", "webhooks.injectProxyEnv.enabled=true",
                "--set", "webhooks.mutateServiceEntries.enabled=false");
        assertThat(onlyInjection.get(MutatingWebhookConfiguration.class, FULLNAME).getWebhooks())
                .extracting(MutatingWebhook::getName).containsExactly("inject-proxy-env.proxyguard.io");
    }

    @Test
    void validatesServiceEntriesFailingClosedAndWorkloadsFailingOpenByDefault() {
        Map<String, ValidatingWebhook> webhooks = validating(defaults);

        assertThat(webhooks).containsOnlyKeys("validate-serviceentries.proxyguard.io", "validate-workloads.proxyguard.io");
        ValidatingWebhook serviceEntries = webhooks.get("validate-serviceentries.proxyguard.io");
        assertThat(serviceEntries.getFailurePolicy()).isEqualTo("Fail");
        assertThat(serviceEntries.getClientConfig().getService().getPath()).isEqualTo("/validate");
        assertServiceEntryRules(serviceEntries.getRules());

        ValidatingWebhook workloads = webhooks.get("validate-workloads.proxyguard.io");
        assertThat(workloads.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(workloads.getClientConfig().getService().getPath()).isEqualTo("/validate");
        assertThat(workloads.getRules())
                .extracting(RuleWithOperations::getApiGroups, RuleWithOperations::getApiVersions,
                        RuleWithOperations::getResources, RuleWithOperations::getOperations, RuleWithOperations::getScope)
                .containsExactly(
                        tuple(List.of(""), List.of("v1"), List.of("pods"), List.of("CREATE", "UPDATE"), "Namespaced"),
                        tuple(List.of("apps"), List.of("v1"),
                                List.of("deployments", "statefulsets", "daemonsets", "replicasets"),
                                List.of("CREATE", "UPDATE"), "Namespaced"),
                        tuple(List.of("batch"), List.of("v1"), List.of("jobs", "cronjobs"),
                                List.of("CREATE", "UPDATE"), "Namespaced"));
        webhooks.values().forEach(w ->
                assertCommonSettings(w.getAdmissionReviewVersions(), w.getSideEffects(), w.getTimeoutSeconds()));
    }

    @Test
    void neverSendsKubeSystemTheReleaseNamespaceOrOptedOutNamespaces() {
        List<List<LabelSelectorRequirement>> selectors = allSelectors(defaults);

        assertThat(selectors).hasSize(3).allSatisfy(expressions -> assertThat(expressions)
                .extracting(LabelSelectorRequirement::getKey, LabelSelectorRequirement::getOperator,
                        LabelSelectorRequirement::getValues)
                .containsExactly(
                        tuple("kubernetes.io/metadata.name", "NotIn", List.of("kube-system", Helm.NAMESPACE)),
                        tuple("proxyguard.io/ignore", "NotIn", List.of("true"))));
    }

    @Test
    void addsExcludedNamespacesAndExtraExpressionsFromValues() {
        RenderedChart chart = HELM.render(Helm.scenario("single-replica-values.yaml"));

        assertThat(allSelectors(chart)).hasSize(2).allSatisfy(expressions -> assertThat(expressions)
                .extracting(LabelSelectorRequirement::getKey, LabelSelectorRequirement::getOperator,
                        LabelSelectorRequirement::getValues)
                .containsExactly(
                        tuple("kubernetes.io/metadata.name", "NotIn",
                                List.of("kube-system", Helm.NAMESPACE, "istio-system", "monitoring")),
                        tuple("proxyguard.io/ignore", "NotIn", List.of("true")),
                        tuple("istio-injection", "In", List.of("enabled"))));
        assertThat(validating(chart).values()).allSatisfy(w -> {
            assertThat(w.getFailurePolicy()).isEqualTo("Fail");
            assertThat(w.getTimeoutSeconds()).isEqualTo(3);
        });
    }

    @Test
    void switchesEachWebhookOffOnItsOwn() {
        RenderedChart noMutation = HELM.render("--set", "webhooks.mutateServiceEntries.enabled=false");
        assertThat(noMutation.all(MutatingWebhookConfiguration.class)).isEmpty();
        assertThat(validating(noMutation)).hasSize(2);

        RenderedChart noWorkloads = HELM.render("--set", "webhooks.validateWorkloads.enabled=false");
        assertThat(validating(noWorkloads)).containsOnlyKeys("validate-serviceentries.proxyguard.io");
        assertThat(noWorkloads.all(MutatingWebhookConfiguration.class)).hasSize(1);

        RenderedChart noServiceEntryValidation = HELM.render("--set", "webhooks.validateServiceEntries.enabled=false");
        assertThat(validating(noServiceEntryValidation)).containsOnlyKeys("validate-workloads.proxyguard.io");
    }

    @Test
    void rendersNoWebhookConfigurationAndNoPatchFlagsWhenAllWebhooksAreOff() {
        RenderedChart chart = HELM.render(Helm.scenario("webhooks-off-values.yaml"));

        assertThat(chart.all(MutatingWebhookConfiguration.class)).isEmpty();
        assertThat(chart.all(ValidatingWebhookConfiguration.class)).isEmpty();
        List<String> args = chart.webhookPod().getContainers().get(0).getArgs();
        assertThat(args).doesNotContain("--mutating-webhook-config", "--validating-webhook-config")
                .contains("--certificates", "--cert-secret");
    }

    @Test
    void takesFailurePoliciesAndTimeoutFromValues() {
        RenderedChart chart = HELM.render("--set", "webhooks.validateServiceEntries.failurePolicy=Ignore",
                "--set", "webhooks.validateWorkloads.failurePolicy=Fail",
                "--set", "webhooks.mutateServiceEntries.failurePolicy=Fail", "--set", "webhooks.timeoutSeconds=10");

        assertThat(validating(chart).get("validate-serviceentries.proxyguard.io").getFailurePolicy()).isEqualTo("Ignore");
        assertThat(validating(chart).get("validate-workloads.proxyguard.io").getFailurePolicy()).isEqualTo("Fail");
        MutatingWebhook mutate = chart.one(MutatingWebhookConfiguration.class).getWebhooks().get(0);
        assertThat(mutate.getFailurePolicy()).isEqualTo("Fail");
        assertThat(mutate.getTimeoutSeconds()).isEqualTo(10);
    }

    private static void assertServiceEntryRules(List<RuleWithOperations> rules) {
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("networking.istio.io");
            assertThat(rule.getApiVersions()).containsExactly("v1", "v1beta1", "v1alpha3");
            assertThat(rule.getResources()).containsExactly("serviceentries");
            assertThat(rule.getOperations()).containsExactly("CREATE", "UPDATE");
            assertThat(rule.getScope()).isEqualTo("Namespaced");
        });
    }

    private static void assertCommonSettings(List<String> reviewVersions, String sideEffects, Integer timeout) {
        assertThat(reviewVersions).containsExactly("v1");
        assertThat(sideEffects).isEqualTo("None");
        assertThat(timeout).isEqualTo(5);
    }

    private static Map<String, ValidatingWebhook> validating(RenderedChart chart) {
        return chart.get(ValidatingWebhookConfiguration.class, FULLNAME).getWebhooks().stream()
                .collect(Collectors.toMap(ValidatingWebhook::getName, w -> w));
    }

    private static List<List<LabelSelectorRequirement>> allSelectors(RenderedChart chart) {
        return chart.webhookNamespaceSelectors().stream().map(LabelSelector::getMatchExpressions).toList();
    }
}
