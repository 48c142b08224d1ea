package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The three certificate modes: where the serving certificate comes from and how the API server learns its CA. */
class CertificateModesTest {

    private static final Helm HELM = Helm.installed();
    private static final String FULLNAME = "pg-proxyguard";

    @Test
    void selfManagedModeHandsTheCertificateJobToTheAppWithNoVolumeAndNoCaBundleToOverwrite() {
        RenderedChart chart = HELM.render(Helm.scenario("self-managed-values.yaml"));
        PodSpec pod = podSpec(chart);

        // no audit flags: the audit runs in a Deployment of its own (AuditChartTest)
        assertThat(container(pod).getArgs()).containsExactly("serve", "--operation", "webhook",
                "--config", "/etc/proxyguard/config/config.yaml", "--port", "8443", "--metrics-port", "8080", "--shutdown-delay", "5s",
                "--owner-deployment", FULLNAME,
                "--certificates", "self-managed", "--cert-secret", FULLNAME + "-tls", "--service", FULLNAME,
                "--mutating-webhook-config", FULLNAME, "--validating-webhook-config", FULLNAME,
                "--leader-lease", FULLNAME + "-leader");
        assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null);
        // helm template has no cluster to look up, so the first install leaves caBundle to ProxyGuard.
        assertThat(clientConfigs(chart)).hasSize(3).allSatisfy(c -> assertThat(c.getCaBundle()).isNull());
        assertThat(webhookAnnotations(chart)).allSatisfy(a -> assertThat(a).doesNotContainKey("cert-manager.io/inject-ca-from"));
        assertThat(chart.custom("Certificate")).isEmpty();
        assertThat(chart.custom("Issuer")).isEmpty();
    }

    @Test
    void certManagerModeBuildsItsOwnCaAndInjectsItThroughTheAnnotation() {
        RenderedChart chart = HELM.render(Helm.scenario("cert-manager-values.yaml"));

        assertThat(webhookAnnotations(chart)).hasSize(2).allSatisfy(a -> assertThat(a)
                .containsEntry("cert-manager.io/inject-ca-from", Helm.NAMESPACE + "/" + FULLNAME + "-tls"));
        assertThat(clientConfigs(chart)).allSatisfy(c -> assertThat(c.getCaBundle()).isNull());

        assertThat(chart.custom("Issuer")).extracting(i -> i.getMetadata().getName())
                .containsExactlyInAnyOrder(FULLNAME + "-selfsigned", FULLNAME + "-ca");
        GenericKubernetesResource ca = certificate(chart, FULLNAME + "-ca");
        assertThat(ca.<Boolean>get("spec", "isCA")).isTrue();
        assertThat(ca.<String>get("spec", "privateKey", "rotationPolicy"))
                .as("a renewed CA keeps its key so that certificates it signed stay trusted").isEqualTo("Never");
        assertThat(ca.<String>get("spec", "issuerRef", "name")).isEqualTo(FULLNAME + "-selfsigned");

        GenericKubernetesResource serving = certificate(chart, FULLNAME + "-tls");
        assertThat(serving.<String>get("spec", "secretName")).isEqualTo(FULLNAME + "-tls");
        assertThat(serving.<String>get("spec", "issuerRef", "name")).isEqualTo(FULLNAME + "-ca");
        assertThat(serving.<List<String>>get("spec", "dnsNames"))
                .contains(FULLNAME + "." + Helm.NAMESPACE + ".svc");
        assertMountsServingSecret(chart, FULLNAME + "-tls");
    }

    @Test
    void certManagerModeUsesTheClusterIssuerItIsGivenInsteadOfBuildingACa() {
        RenderedChart chart = HELM.render(Helm.scenario("cert-manager-issuer-values.yaml"));

        assertThat(chart.custom("Issuer")).isEmpty();
        GenericKubernetesResource serving = chart.custom("Certificate").stream().reduce((a, b) -> {
            throw new AssertionError("only the serving Certificate expected");
        }).orElseThrow();
        assertThat(serving.<Map<String, Object>>get("spec", "issuerRef"))
                .isEqualTo(Map.of("name", "corp-ca", "kind", "ClusterIssuer", "group", "cert-manager.io"));
        assertThat(serving.<String>get("spec", "duration")).isEqualTo("720h");
        assertMountsServingSecret(chart, FULLNAME + "-tls");
    }

    @Test
    void providedModePutsTheGivenCaIntoEveryWebhookAndMountsTheGivenSecret() throws Exception {
        RenderedChart chart = HELM.render(Helm.scenario("provided-values.yaml"));

        assertThat(clientConfigs(chart)).hasSize(3).allSatisfy(client -> {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(client.getCaBundle())));
            assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=proxyguard-ci-example-ca");
        });
        assertThat(webhookAnnotations(chart)).allSatisfy(a -> assertThat(a).doesNotContainKey("cert-manager.io/inject-ca-from"));
        assertThat(chart.custom("Certificate")).isEmpty();
        assertMountsServingSecret(chart, "proxyguard-serving-cert");
    }

    @Test
    void providedModeWithoutSecretOrCaFailsNamingBothValues() {
        Helm.HelmRun run = HELM.template(List.of("--set", "certificates.mode=provided"));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("/certificates/provided/secretName", "/certificates/provided/caBundle");
    }

    @Test
    void providedModeRejectsACaBundleThatIsNotPem() {
        Helm.HelmRun run = HELM.template(List.of("--set", "certificates.mode=provided",
                "--set", "certificates.provided.secretName=tls", "--set", "certificates.provided.caBundle=LS0tLS1CRUdJTg=="));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("/certificates/provided/caBundle");
    }

    private static void assertMountsServingSecret(RenderedChart chart, String secretName) {
        PodSpec pod = podSpec(chart);
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement().satisfies(volume -> {
            assertThat(volume.getSecret().getSecretName()).isEqualTo(secretName);
            assertThat(container(pod).getVolumeMounts()).anySatisfy(mount -> {
                assertThat(mount.getName()).isEqualTo(volume.getName());
                assertThat(mount.getMountPath()).isEqualTo("/etc/proxyguard/tls");
                assertThat(mount.getReadOnly()).isTrue();
                assertThat(mount.getSubPath()).as("no subPath: the kubelet must update renewed files").isNull();
            });
        });
        assertThat(container(pod).getArgs()).containsSubsequence("--tls-cert", "/etc/proxyguard/tls/tls.crt",
                "--tls-key", "/etc/proxyguard/tls/tls.key").doesNotContain("--certificates", "--leader-lease");
    }

    private static GenericKubernetesResource certificate(RenderedChart chart, String name) {
        return chart.custom("Certificate").stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Certificate " + name));
    }

    private static PodSpec podSpec(RenderedChart chart) {
        return chart.webhookPod();
    }

    private static Container container(PodSpec pod) {
        return pod.getContainers().get(0);
    }

    private static List<WebhookClientConfig> clientConfigs(RenderedChart chart) {
        return chart.webhookClientConfigs();
    }

    private static List<Map<String, String>> webhookAnnotations(RenderedChart chart) {
        return chart.webhookConfigurations().stream()
                .map(c -> c.getMetadata().getAnnotations() == null ? Map.<String, String>of() : c.getMetadata().getAnnotations())
                .toList();
    }
}
