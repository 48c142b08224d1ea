package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background audit in the chart: by default in a Deployment of its own ({@code audit.dedicated}), whose pod
 * the webhook's selectors never pick; with {@code audit.dedicated.enabled=false} in a webhook replica, as before;
 * its interval reaches serve, and the PolicyReport CRDs only when asked for.
 */
class AuditChartTest {

    private static final Helm HELM = Helm.installed();
    private static final String FULLNAME = "pg-proxyguard";
    private static final String AUDIT = FULLNAME + "-audit";

    private final RenderedChart defaults = HELM.render();

    private static List<String> webhookArgs(RenderedChart chart) {
        return container(chart.webhookPod()).getArgs();
    }

    private static Container container(PodSpec pod) {
        return pod.getContainers().get(0);
    }

    private static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    /** Whether a matchLabels selector picks an object with these labels. */
    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    private static List<HasMetadata> crds(RenderedChart chart) {
        return chart.objects().stream().filter(o -> o.getKind().equals("CustomResourceDefinition")).toList();
    }

    @Test
    void runsTheAuditInADeploymentOfItsOwnByDefault() {
        Deployment audit = defaults.auditDeployment();
        PodSpec pod = defaults.auditPod();

        assertThat(audit.getMetadata().getName()).isEqualTo(AUDIT);
        assertThat(audit.getSpec().getReplicas()).isEqualTo(1);
        assertThat(audit.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                .as("the new pod starts before the old one lets the Lease go").isZero();
        assertThat(audit.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
        assertThat(container(pod).getArgs()).containsExactly("serve", "--operation", "audit",
                "--config", "/etc/proxyguard/config/config.yaml", "--metrics-port", "8080", "--shutdown-delay", "0",
                "--audit-interval", "5m", "--audit-lease", AUDIT, "--owner-deployment", AUDIT);
        assertThat(container(pod).getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("metrics:8080");
        assertThat(container(pod).getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        assertThat(container(pod).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container(pod).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container(pod).getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
        assertThat(container(pod).getResources().getRequests()).containsEntry("cpu", new Quantity("100m"));
    }

    @Test
    void theAuditPodRunsAsItsOwnServiceAccount() {
        assertThat(defaults.auditPod().getServiceAccountName()).isEqualTo(AUDIT);
        assertThat(defaults.auditPod().getAutomountServiceAccountToken()).isTrue();
        assertThat(defaults.all(ServiceAccount.class)).extracting(a -> a.getMetadata().getName())
                .containsExactlyInAnyOrder(FULLNAME, AUDIT);

        RenderedChart provided = HELM.render("--set", "serviceAccount.create=false", "--set", "serviceAccount.name=mine");
        assertThat(provided.all(ServiceAccount.class)).isEmpty();
        assertThat(provided.auditPod().getServiceAccountName()).as("the one ServiceAccount given").isEqualTo("mine");
        assertThat(provided.webhookPod().getServiceAccountName()).isEqualTo("mine");
    }

    @Test
    void theWebhookPodsNeverAuditWhenTheAuditHasItsOwnDeployment() {
        assertThat(webhookArgs(defaults)).startsWith("serve", "--operation", "webhook")
                .doesNotContain("--audit-interval", "--audit-lease");
    }

    @Test
    void withoutADedicatedDeploymentAWebhookReplicaLeadsTheAuditAsBefore() {
        RenderedChart chart = HELM.render("--set", "audit.dedicated.enabled=false");

        assertThat(webhookArgs(chart)).containsSubsequence("--audit-interval", "5m", "--audit-lease", AUDIT)
                .doesNotContain("--operation");
        assertNoAuditObjects(chart);
    }

    @Test
    void zeroTurnsTheAuditOff() {
        RenderedChart off = HELM.render("--set", "audit.interval=0");

        assertThat(webhookArgs(off)).containsSubsequence("--audit-interval", "0").doesNotContain("--audit-lease", "--operation");
        assertNoAuditObjects(off);
        RenderedChart zeroSeconds = HELM.render("--set-string", "audit.interval=0s");
        assertThat(webhookArgs(zeroSeconds)).doesNotContain("--audit-lease");
        assertNoAuditObjects(zeroSeconds);
    }

    private static void assertNoAuditObjects(RenderedChart chart) {
        assertThat(chart.find(Deployment.class, AUDIT)).isEmpty();
        assertThat(chart.find(Service.class, AUDIT)).isEmpty();
        assertThat(chart.find(ServiceAccount.class, AUDIT)).isEmpty();
    }

    @Test
    void theWebhookSelectorsNeverPickTheAuditPodNorTheAuditsTheWebhookPods() {
        Map<String, String> webhookPod = podLabels(defaults.webhookDeployment());
        Map<String, String> auditPod = podLabels(defaults.auditDeployment());
        Map<String, String> webhookService = defaults.get(Service.class, FULLNAME).getSpec().getSelector();
        Map<String, String> auditService = defaults.get(Service.class, AUDIT).getSpec().getSelector();

        assertThat(selects(webhookService, webhookPod)).isTrue();
        assertThat(selects(webhookService, auditPod)).as("the API server's reviews never reach the audit pod").isFalse();
        assertThat(selects(auditService, auditPod)).isTrue();
        assertThat(selects(auditService, webhookPod)).isFalse();
        assertThat(defaults.get(Service.class, AUDIT).getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getTargetPort().getStrVal())
                .containsExactly("metrics:metrics");

        Map<String, String> webhookDeployment = defaults.webhookDeployment().getSpec().getSelector().getMatchLabels();
        Map<String, String> auditDeployment = defaults.auditDeployment().getSpec().getSelector().getMatchLabels();
        assertThat(selects(webhookDeployment, auditPod)).isFalse();
        assertThat(selects(auditDeployment, webhookPod)).isFalse();
        assertThat(selects(auditDeployment, auditPod)).isTrue();
        assertThat(selects(defaults.one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels(), auditPod))
                .as("the webhook's disruption budget counts webhook pods only").isFalse();
    }

    @Test
    void neverChangesTheWebhooksSelector() {
        // A Deployment's selector is immutable: a change would make every upgrade fail.
        assertThat(defaults.webhookDeployment().getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/name", "proxyguard", "app.kubernetes.io/instance", "pg", "app.kubernetes.io/component", "webhook"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"self-managed-values.yaml", "cert-manager-values.yaml", "cert-manager-issuer-values.yaml",
            "provided-values.yaml"})
    void theAuditPodIsHardenedAndGetsNoServingCertificateInAnyMode(String scenario) {
        PodSpec pod = HELM.render(Helm.scenario(scenario)).auditPod();

        HardenedPod.assertHardened("audit Deployment", pod);
        assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null);
        assertThat(container(pod).getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactlyInAnyOrder("/etc/proxyguard/config", "/tmp");
        assertThat(container(pod).getArgs()).doesNotContain("--certificates", "--tls-cert", "--tls-key", "--port");
    }

    @Test
    void sharesTheWebhooksImageJvmConfigurationAndPlacementButNotItsPriorityOrSpread() {
        // a tuned JVM (single-replica-values.yaml), and every pod-level value the two pods could share or not
        RenderedChart chart = HELM.render("-f", Helm.CHART.resolve("ci/single-replica-values.yaml").toString(),
                "--set", "audit.dedicated.enabled=true", "--set", "image.digest=sha256:" + "b".repeat(64),
                "--set", "priorityClassName=proxyguard-critical", "--set", "podAntiAffinity=hard",
                "--set", "nodeSelector.pool=system", "--set", "tolerations[0].key=dedicated", "--set", "tolerations[0].operator=Exists",
                "--set", "imagePullSecrets[0].name=regcred",
                "--set", "podLabels.team=platform", "--set", "audit.dedicated.podLabels.role=audit",
                "--set", "podAnnotations.owner=sre", "--set", "audit.dedicated.podAnnotations.owner=audit-sre");
        PodSpec webhook = chart.webhookPod();
        PodSpec audit = chart.auditPod();

        assertThat(container(audit).getImage()).isEqualTo(container(webhook).getImage()).endsWith("b".repeat(64));
        assertThat(container(audit).getEnv()).isEqualTo(container(webhook).getEnv());
        assertThat(container(audit).getSecurityContext()).isEqualTo(container(webhook).getSecurityContext());
        assertThat(audit.getSecurityContext()).isEqualTo(webhook.getSecurityContext());
        assertThat(audit.getNodeSelector()).isEqualTo(webhook.getNodeSelector()).containsEntry("pool", "system");
        assertThat(audit.getTolerations()).isEqualTo(webhook.getTolerations()).hasSize(1);
        assertThat(audit.getImagePullSecrets()).isEqualTo(webhook.getImagePullSecrets()).hasSize(1);
        assertThat(webhook.getPriorityClassName()).isEqualTo("proxyguard-critical");
        assertThat(audit.getPriorityClassName()).as("no request waits for the audit").isNull();
        assertThat(audit.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .as("a hard anti-affinity among webhook replicas is not the audit's").isNullOrEmpty();
        assertThat(audit.getTopologySpreadConstraints()).isNullOrEmpty();

        var template = chart.auditDeployment().getSpec().getTemplate().getMetadata();
        assertThat(template.getLabels()).containsEntry("team", "platform").containsEntry("role", "audit")
                .containsEntry("app.kubernetes.io/component", "audit");
        assertThat(template.getAnnotations()).as("the audit's own annotations win over podAnnotations")
                .containsEntry("owner", "audit-sre")
                .containsEntry("checksum/config", chart.webhookDeployment().getSpec().getTemplate().getMetadata()
                        .getAnnotations().get("checksum/config"));
    }

    @Test
    void theAuditPodPrefersANodeWithoutAWebhookPodUnlessAntiAffinityIsOff() {
        var preferred = defaults.auditPod().getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();

        assertThat(preferred).singleElement().satisfies(term -> {
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(selects(term.getPodAffinityTerm().getLabelSelector().getMatchLabels(), podLabels(defaults.webhookDeployment())))
                    .as("it keeps away from the webhook pods").isTrue();
            assertThat(selects(term.getPodAffinityTerm().getLabelSelector().getMatchLabels(), podLabels(defaults.auditDeployment())))
                    .as("not from itself").isFalse();
        });
        assertThat(HELM.render("--set", "podAntiAffinity=none").auditPod().getAffinity()).isNull();
    }

    @Test
    void rollsTheAuditPodWhenTheConfigurationChanges() {
        String before = defaults.auditDeployment().getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
        String after = HELM.render("--set", "config.proxyPorts={3129}").auditDeployment().getSpec().getTemplate()
                .getMetadata().getAnnotations().get("checksum/config");

        assertThat(before).isNotBlank();
        assertThat(after).isNotBlank().isNotEqualTo(before);
    }

    @Test
    void sizesTheAuditPodFromItsOwnResources() {
        PodSpec pod = HELM.render("--set", "audit.dedicated.resources.limits.memory=1Gi", "--set", "resources.limits.memory=384Mi").auditPod();

        assertThat(container(pod).getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    }

    @Test
    void installsThePolicyReportCrdsAsKyvernoShipsThemWhenAskedAndKeepsThemOnUninstall() {
        assertThat(crds(defaults)).isEmpty();
        List<HasMetadata> crds = crds(HELM.render("--set", "audit.policyReports.installCrds=true"));

        assertThat(crds).extracting(crd -> crd.getMetadata().getName())
                .containsExactlyInAnyOrder("policyreports.wgpolicyk8s.io", "clusterpolicyreports.wgpolicyk8s.io");
        assertThat(crds).allSatisfy(crd -> {
            assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(RenderedChart.SERIALIZATION.convertValue(crd, GenericKubernetesResource.class).get("spec", "group").toString())
                    .isEqualTo("wgpolicyk8s.io");
        });
    }
}
