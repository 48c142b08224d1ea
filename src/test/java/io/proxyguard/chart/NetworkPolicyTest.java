package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The opt-in NetworkPolicy (webhook and metrics ports only) and ServiceMonitor. */
class NetworkPolicyTest {

    private static final Helm HELM = Helm.installed();

    @Test
    void isOffByDefault() {
        RenderedChart chart = HELM.render();

        assertThat(chart.all(NetworkPolicy.class)).isEmpty();
        assertThat(chart.custom("ServiceMonitor")).isEmpty();
    }

    @Test
    void admitsTrafficOnlyOnTheWebhookAndMetricsPorts() {
        RenderedChart chart = HELM.render(Helm.scenario("networkpolicy-values.yaml"));
        NetworkPolicy policy = chart.one(NetworkPolicy.class);
        Deployment deployment = chart.webhookDeployment();

        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        List<NetworkPolicyIngressRule> ingress = policy.getSpec().getIngress();
        assertThat(ingress).flatExtracting(NetworkPolicyIngressRule::getPorts)
                .extracting(p -> containerPort(deployment, p.getPort().getStrVal()) + "/" + p.getProtocol())
                .containsExactly("8443/TCP", "8080/TCP");
    }

    @Test
    void letsTheHelmTestPodThroughWhenWebhookSourcesAreRestricted() {
        RenderedChart chart = HELM.render(Helm.scenario("networkpolicy-values.yaml"));
        NetworkPolicyIngressRule webhookRule = chart.one(NetworkPolicy.class).getSpec().getIngress().get(0);
        Map<String, String> testPodLabels = chart.one(Pod.class).getMetadata().getLabels();

        assertThat(webhookRule.getFrom()).anySatisfy(peer -> {
            assertThat(peer.getIpBlock()).isNotNull();
            assertThat(peer.getIpBlock().getCidr()).isEqualTo("172.16.0.0/12");
        });
        assertThat(webhookRule.getFrom()).anySatisfy(peer -> {
            assertThat(peer.getPodSelector()).isNotNull();
            assertThat(testPodLabels).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
        });
        assertThat(chart.one(NetworkPolicy.class).getSpec().getIngress().get(1).getFrom())
                .singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "monitoring"));
    }

    @Test
    void leavesSourcesAndEgressOpenWhenNoneAreGiven() {
        NetworkPolicy policy = HELM.render("--set", "networkPolicy.enabled=true").one(NetworkPolicy.class);

        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).hasSize(2).allSatisfy(rule -> assertThat(rule.getFrom()).isNullOrEmpty());
        assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
    }

    @Test
    void scrapesTheMetricsPortWithTheServiceMonitor() {
        RenderedChart chart = HELM.render(Helm.scenario("networkpolicy-values.yaml"));
        GenericKubernetesResource monitor = chart.custom("ServiceMonitor").get(0);

        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(monitor.<List<Map<String, Object>>>get("spec", "endpoints")).singleElement().satisfies(endpoint -> {
            assertThat(endpoint).containsEntry("port", "metrics").containsEntry("path", "/metrics");
        });
    }

    private static int containerPort(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
    }
}
