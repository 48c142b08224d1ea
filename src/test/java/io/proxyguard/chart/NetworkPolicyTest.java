package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The opt-in NetworkPolicies (webhook pods: webhook and metrics ports only; dedicated audit pod: metrics port only)
 * and ServiceMonitor (both pods' metrics).
 */
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
        NetworkPolicy policy = chart.one(NetworkPolicy.class, RenderedChart.WEBHOOK);
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
        NetworkPolicy policy = chart.one(NetworkPolicy.class, RenderedChart.WEBHOOK);
        NetworkPolicyIngressRule webhookRule = policy.getSpec().getIngress().get(0);
        Map<String, String> testPodLabels = chart.one(Pod.class).getMetadata().getLabels();

        assertThat(webhookRule.getFrom()).anySatisfy(peer -> {
            assertThat(peer.getIpBlock()).isNotNull();
            assertThat(peer.getIpBlock().getCidr()).isEqualTo("172.16.0.0/12");
        });
        assertThat(webhookRule.getFrom()).anySatisfy(peer -> {
            assertThat(peer.getPodSelector()).isNotNull();
            assertThat(testPodLabels).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
        });
        assertThat(policy.getSpec().getIngress().get(1).getFrom())
                .singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "monitoring"));
    }

    @Test
    void admitsOnlyTheMetricsPortToTheAuditPodFromTheSameSourcesWithTheSameEgress() {
        RenderedChart chart = HELM.render(Helm.scenario("networkpolicy-values.yaml"));
        NetworkPolicy webhook = chart.one(NetworkPolicy.class, RenderedChart.WEBHOOK);
        NetworkPolicy audit = chart.one(NetworkPolicy.class, RenderedChart.AUDIT);
        Deployment deployment = chart.auditDeployment();

        assertThat(audit.getMetadata().getName()).isEqualTo("pg-proxyguard-audit");
        assertThat(audit.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(audit.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(audit.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).extracting(p -> containerPort(deployment, p.getPort().getStrVal()) + "/" + p.getProtocol())
                    .containsExactly("8080/TCP");
            assertThat(rule.getFrom()).isEqualTo(webhook.getSpec().getIngress().get(1).getFrom());
        });
        assertThat(audit.getSpec().getEgress()).isNotEmpty().isEqualTo(webhook.getSpec().getEgress());
    }

    @Test
    void rendersNoAuditPolicyWithoutTheAuditsDeployment() {
        RenderedChart chart = HELM.render("-f", Helm.CHART.resolve("ci/networkpolicy-values.yaml").toString(),
                "--set", "audit.dedicated.enabled=false");

        assertThat(chart.all(NetworkPolicy.class)).extracting(p -> p.getMetadata().getName()).containsExactly("pg-proxyguard");
    }

    @Test
    void leavesSourcesAndEgressOpenWhenNoneAreGiven() {
        RenderedChart chart = HELM.render("--set", "networkPolicy.enabled=true");

        assertThat(chart.all(NetworkPolicy.class)).hasSize(2).allSatisfy(policy -> {
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(policy.getSpec().getIngress()).allSatisfy(rule -> assertThat(rule.getFrom()).isNullOrEmpty());
            assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
        });
        assertThat(chart.one(NetworkPolicy.class, RenderedChart.WEBHOOK).getSpec().getIngress()).hasSize(2);
        assertThat(chart.one(NetworkPolicy.class, RenderedChart.AUDIT).getSpec().getIngress()).hasSize(1);
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
        assertThat(chart.all(Service.class)).filteredOn(service -> selects(monitor, service))
                .extracting(service -> service.getMetadata().getName())
                .as("the webhook's and the audit's metrics").containsExactlyInAnyOrder("pg-proxyguard", "pg-proxyguard-audit")
                .allSatisfy(name -> assertThat(chart.get(Service.class, name).getSpec().getPorts())
                        .anySatisfy(port -> assertThat(port.getName()).isEqualTo("metrics")));

        RenderedChart shared = HELM.render("-f", Helm.CHART.resolve("ci/networkpolicy-values.yaml").toString(),
                "--set", "audit.dedicated.enabled=false");
        GenericKubernetesResource sharedMonitor = shared.custom("ServiceMonitor").get(0);
        assertThat(shared.all(Service.class)).filteredOn(service -> selects(sharedMonitor, service))
                .extracting(service -> service.getMetadata().getName()).containsExactly("pg-proxyguard");
    }

    /** Whether the ServiceMonitor's selector (matchLabels, and matchExpressions with In) picks this Service. */
    private static boolean selects(GenericKubernetesResource monitor, Service service) {
        Map<String, String> labels = service.getMetadata().getLabels();
        Map<String, String> matchLabels = monitor.<Map<String, String>>get("spec", "selector", "matchLabels");
        List<Map<String, Object>> expressions = monitor.<List<Map<String, Object>>>get("spec", "selector", "matchExpressions");
        return labels.entrySet().containsAll(matchLabels.entrySet())
                && (expressions == null || expressions.stream().allMatch(expression -> {
                    assertThat(expression.get("operator")).as("operators this check knows").isEqualTo("In");
                    return ((List<?>) expression.get("values")).contains(labels.get((String) expression.get("key")));
                }));
    }

    private static int containerPort(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                .filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name)).getContainerPort();
    }
}
