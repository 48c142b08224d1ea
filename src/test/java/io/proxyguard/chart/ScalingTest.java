package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many pods there are and where: spread over zones by default, best effort; an optional CPU autoscaler from
 * {@code replicaCount} up; and a disruption budget that fits both: one pod at a time, never one that blocks drains.
 */
class ScalingTest {

    private static final Helm HELM = Helm.installed();
    private static final String FULLNAME = "pg-proxyguard";

    private final RenderedChart defaults = HELM.render();

    @Test
    void spreadsReplicasAcrossZonesBestEffortByDefault() {
        Map<String, String> selector = defaults.webhookDeployment().getSpec().getSelector().getMatchLabels();

        assertThat(defaults.webhookPod().getTopologySpreadConstraints()).singleElement().satisfies(spread -> {
            assertThat(spread.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(spread.getWhenUnsatisfiable()).as("a single-zone cluster still schedules").isEqualTo("ScheduleAnyway");
            assertThat(spread.getMaxSkew()).isEqualTo(1);
            assertThat(spread.getLabelSelector().getMatchLabels()).isEqualTo(selector);
            assertThat(spread.getMatchLabelKeys()).as("a rollout's new pods spread among themselves").containsExactly("pod-template-hash");
        });
    }

    @Test
    void leavesMatchLabelKeysOutBeforeKubernetes127AndAGivenSelectorAlone() {
        RenderedChart old = HELM.render("--kube-version", "1.26.0");
        assertThat(old.webhookPod().getTopologySpreadConstraints()).singleElement()
                .satisfies(spread -> assertThat(spread.getMatchLabelKeys()).isNullOrEmpty());

        RenderedChart own = HELM.render("--set-json", "topologySpreadConstraints=[{\"maxSkew\":2,\"topologyKey\":\"rack\","
                + "\"whenUnsatisfiable\":\"DoNotSchedule\",\"labelSelector\":{\"matchLabels\":{\"tier\":\"webhooks\"}}}]");
        TopologySpreadConstraint spread = own.webhookPod().getTopologySpreadConstraints().get(0);
        assertThat(spread.getLabelSelector().getMatchLabels()).containsExactly(Map.entry("tier", "webhooks"));
        assertThat(spread.getMatchLabelKeys()).isNullOrEmpty();

        assertThat(HELM.render("--set-json", "topologySpreadConstraints=[]").webhookPod().getTopologySpreadConstraints()).isNullOrEmpty();
    }

    @Test
    void anAutoscalerScalesOnCpuFromReplicaCountAndTheDeploymentLeavesTheCountToIt() {
        RenderedChart chart = HELM.render("--set", "autoscaling.enabled=true");

        HorizontalPodAutoscaler hpa = chart.one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(FULLNAME);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getResource().getName()).isEqualTo("cpu");
            assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        });
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getPolicies()).singleElement()
                .satisfies(policy -> assertThat(policy.getValue()).as("one pod at a time").isEqualTo(1));
        assertThat(chart.webhookDeployment().getSpec().getReplicas()).as("no count for helm upgrade to reset").isNull();
        assertThat(defaults.all(HorizontalPodAutoscaler.class)).as("off by default").isEmpty();
    }

    @Test
    void refusesAnAutoscalerThatCouldNotWork() {
        assertThat(HELM.template(List.of("--set", "autoscaling.enabled=true", "--set", "autoscaling.maxReplicas=1")).stderr())
                .contains("autoscaling.maxReplicas (1) must be at least replicaCount (2)");
        assertThat(HELM.template(List.of("--set", "autoscaling.enabled=true", "--set", "resources.requests.cpu=null")).stderr())
                .contains("autoscaling.enabled needs resources.requests.cpu");
    }

    @Test
    void theDisruptionBudgetTakesOnePodAtATimeWhateverTheCount() {
        PodDisruptionBudget pdb = defaults.one(PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getMinAvailable()).isNull();

        RenderedChart scaledFromOne = HELM.render("--set", "replicaCount=1", "--set", "autoscaling.enabled=true");
        assertThat(scaledFromOne.one(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal())
                .as("the autoscaler may add pods; one at a time never blocks a drain, even at one").isEqualTo(1);

        RenderedChart scenario = HELM.render(Helm.scenario("autoscaling-values.yaml"));
        assertThat(scenario.one(PodDisruptionBudget.class).getSpec().getMinAvailable().getStrVal()).isEqualTo("66%");
        assertThat(scenario.one(PodDisruptionBudget.class).getSpec().getMaxUnavailable()).isNull();
        assertThat(scenario.one(HorizontalPodAutoscaler.class).getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(scenario.webhookPod().getTopologySpreadConstraints()).extracting(TopologySpreadConstraint::getTopologyKey)
                .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    }

    @Test
    void refusesADisruptionBudgetThatWouldBlockEveryDrain() {
        Helm.HelmRun run = HELM.template(List.of("--set", "podDisruptionBudget.minAvailable=2"));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("podDisruptionBudget.minAvailable (2) must be below replicaCount (2)");
        assertThat(HELM.render("--set", "podDisruptionBudget.minAvailable=1").one(PodDisruptionBudget.class).getSpec()
                .getMinAvailable().getIntVal()).isEqualTo(1);
    }
}
