package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code charts/proxyguard/ci/*-values.yaml} scenario goes through the real {@code helm lint --strict}
 * and {@code helm template}, and what it renders must hold the chart's invariants.
 */
class ChartScenariosTest {

    private static final Helm HELM = Helm.installed();
    private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");

    static List<String> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(Helm.CHART.resolve("ci"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("-values.yaml")).sorted().toList();
            assertThat(names).as("ci scenarios in " + Helm.CHART.resolve("ci")).isNotEmpty();
            return names;
        }
    }

    @Test
    void scenariosCoverEachCertificateModeWebhooksOffAndNetworkPolicy() throws IOException {
        assertThat(scenarios()).contains("self-managed-values.yaml", "cert-manager-values.yaml",
                "provided-values.yaml", "webhooks-off-values.yaml", "networkpolicy-values.yaml");
    }

    @Test
    void lintsCleanUnderStrictWithDefaultValues() {
        Helm.HelmRun lint = HELM.lint(List.of());

        assertThat(lint.exitCode()).as("helm lint --strict:%n%s", lint.output()).isZero();
        assertThat(lint.output()).doesNotContain("[WARNING]", "[ERROR]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void lintsCleanUnderStrict(String scenario) {
        Helm.HelmRun lint = HELM.lint(List.of(Helm.scenario(scenario)));

        assertThat(lint.exitCode()).as("helm lint --strict %s:%n%s", scenario, lint.output()).isZero();
        assertThat(lint.output()).doesNotContain("[WARNING]", "[ERROR]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void rendersOnlyFieldsKubernetesKnows(String scenario) {
        RenderedChart chart = HELM.render(Helm.scenario(scenario));

        for (HasMetadata object : chart.objects()) {
            assertThat(UnknownFields.in(object)).as("unknown fields in %s/%s", object.getKind(),
                    object.getMetadata().getName()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void runsEveryPodHardened(String scenario) {
        RenderedChart chart = HELM.render(Helm.scenario(scenario));

        assertThat(chart.all(Deployment.class)).isNotEmpty().allSatisfy(deployment ->
                HardenedPod.assertHardened("Deployment " + deployment.getMetadata().getName(), deployment.getSpec().getTemplate().getSpec()));
        HardenedPod.assertHardened("helm test Pod", chart.one(Pod.class).getSpec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void labelsEveryObjectAndPlacesItInTheReleaseNamespace(String scenario) {
        RenderedChart chart = HELM.render(Helm.scenario(scenario));

        for (HasMetadata object : chart.objects()) {
            String what = object.getKind() + "/" + object.getMetadata().getName();
            assertThat(object.getMetadata().getLabels()).as(what + " labels")
                    .containsEntry("app.kubernetes.io/instance", Helm.RELEASE)
                    .containsEntry("app.kubernetes.io/name", "proxyguard");
            assertThat(object.getMetadata().getName()).as(what + " name length").hasSizeLessThanOrEqualTo(63);
            if (CLUSTER_SCOPED.contains(object.getKind())) {
                assertThat(object.getMetadata().getNamespace()).as(what + " namespace").isNull();
            } else {
                assertThat(object.getMetadata().getNamespace()).as(what + " namespace").isEqualTo(Helm.NAMESPACE);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void pointsEveryWebhookAtTheServicePortThatReachesTheHttpsContainerPort(String scenario) {
        RenderedChart chart = HELM.render(Helm.scenario(scenario));
        Service service = chart.one(Service.class, RenderedChart.WEBHOOK);
        ServicePort https = service.getSpec().getPorts().stream().filter(p -> p.getName().equals("https"))
                .findFirst().orElseThrow();
        var containerPort = chart.webhookPod().getContainers().get(0)
                .getPorts().stream().filter(p -> p.getName().equals(https.getTargetPort().getStrVal()))
                .findFirst().orElseThrow();
        assertThat(containerPort.getContainerPort()).isEqualTo(8443);

        chart.webhookClientConfigs().forEach(client -> {
            assertThat(client.getUrl()).isNull();
            assertThat(client.getService().getName()).isEqualTo(service.getMetadata().getName());
            assertThat(client.getService().getNamespace()).isEqualTo(Helm.NAMESPACE);
            assertThat(client.getService().getPort()).isEqualTo(https.getPort());
            assertThat(client.getService().getPath()).isIn("/mutate", "/validate");
        });
    }
}
