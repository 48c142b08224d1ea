package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Deployment: available through disruptions, probed on the metrics port, JVM sized to its container. */
class DeploymentTest {

    private static final Helm HELM = Helm.installed();

    private final RenderedChart defaults = HELM.render();

    @Test
    void runsTwoReplicasSpreadAcrossNodesAndNeverRollsBelowThem() {
        Deployment deployment = defaults.webhookDeployment();

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        var antiAffinity = deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertThat(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(term -> {
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        });
    }

    @Test
    void requiresSpreadingWhenAntiAffinityIsHard() {
        var antiAffinity = HELM.render("--set", "podAntiAffinity=hard").webhookPod().getAffinity().getPodAntiAffinity();

        assertThat(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
        assertThat(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(term -> assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
    }

    @Test
    void protectsTwoReplicasWithADisruptionBudgetButNeverASingleOne() {
        PodDisruptionBudget pdb = defaults.one(PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(defaults.webhookDeployment().getSpec().getSelector().getMatchLabels());

        RenderedChart single = HELM.render(Helm.scenario("single-replica-values.yaml"));
        assertThat(single.webhookDeployment().getSpec().getReplicas()).isEqualTo(1);
        assertThat(single.all(PodDisruptionBudget.class)).isEmpty();
        assertThat(single.webhookPod().getAffinity()).isNull();
    }

    @Test
    void probesHealthAndReadinessOnThePlainHttpMetricsPort() {
        Container container = defaults.webhookPod().getContainers().get(0);

        assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactlyInAnyOrder("https:8443", "metrics:8080");
        assertProbe(container.getReadinessProbe(), "/readyz");
        assertProbe(container.getStartupProbe(), "/readyz");
        assertProbe(container.getLivenessProbe(), "/healthz");
    }

    @Test
    void sizesTheJvmToTheContainerAndTellsThePodItsNamespace() {
        Container container = defaults.webhookPod().getContainers().get(0);

        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
        Map<String, EnvVar> env = container.getEnv().stream()
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(env.get("JAVA_TOOL_OPTIONS").getValue()).contains("-XX:MaxRAMPercentage=75", "-Xmn64m ", "-Djava.io.tmpdir=/tmp");
        assertThat(env.get("MALLOC_ARENA_MAX").getValue()).isEqualTo("2");

        List<EnvVar> tunedEnv = HELM.render(Helm.scenario("single-replica-values.yaml")).webhookPod().getContainers().get(0).getEnv();
        String tuned = tunedEnv.stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue();
        assertThat(tuned).contains("-XX:MaxRAMPercentage=60", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug").doesNotContain("-Xmn");
        assertThat(tunedEnv).extracting(EnvVar::getName).doesNotContain("MALLOC_ARENA_MAX");
    }

    @Test
    void runsAsItsOwnServiceAccountWithTheConfigMountedReadOnly() {
        PodSpec pod = defaults.webhookPod();

        assertThat(pod.getServiceAccountName()).isEqualTo(defaults.one(ServiceAccount.class, RenderedChart.WEBHOOK).getMetadata().getName());
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .anySatisfy(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/etc/proxyguard/config");
                    assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap().getName()).isEqualTo("pg-proxyguard-config"));
    }

    @Test
    void rollsThePodsWhenTheConfigurationChanges() {
        String before = defaults.webhookDeployment().getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
        String after = HELM.render("--set", "config.proxyPorts={3129}").webhookDeployment().getSpec().getTemplate()
                .getMetadata().getAnnotations().get("checksum/config");

        assertThat(before).isNotBlank();
        assertThat(after).isNotBlank().isNotEqualTo(before);
    }

    @Test
    void pinsTheImageByDigestWhenOneIsGiven() {
        String digest = "sha256:" + "a".repeat(64);

        assertThat(defaults.webhookPod().getContainers().get(0).getImage()).isEqualTo("ghcr.io/proxyguard/proxyguard:0.1.0");
        assertThat(HELM.render("--set", "image.digest=" + digest).webhookPod().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/proxyguard/proxyguard@" + digest);
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        assertThat(probe.getHttpGet().getScheme()).isIn(null, "HTTP");
    }
}
