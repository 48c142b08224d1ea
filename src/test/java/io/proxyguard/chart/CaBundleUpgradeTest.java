package io.proxyguard.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.cluster.MockCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-managed mode on {@code helm upgrade}: ProxyGuard patched its CA into the live webhook
 * configurations, and Helm's next render must carry each webhook's caBundle over (found with
 * {@code lookup}) rather than write the webhooks without one, which would make the API server
 * distrust ProxyGuard until the leader patches again. The real helm renders with
 * {@code --dry-run=server} against fabric8's mock API server in CRUD mode, which holds the live objects.
 */
@EnableKubernetesMockClient(crud = true)
class CaBundleUpgradeTest {

    private static final Helm HELM = Helm.installed();
    private static final String FULLNAME = "pg-proxyguard";

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    private Path kubeconfig;

    @BeforeEach
    void serveDiscoveryAndWriteKubeconfig() throws Exception {
        JsonNode discovery;
        try (InputStream in = getClass().getResourceAsStream("/chart/discovery.json")) {
            discovery = new ObjectMapper().readTree(in).path("paths");
        }
        discovery.fields().forEachRemaining(entry -> {
            // client-go asks for discovery with its default timeout parameter, kubectl-style clients without.
            for (String path : List.of(entry.getKey(), entry.getKey() + "?timeout=32s")) {
                server.expect().get().withPath(path).andReturn(200, entry.getValue().toString()).always();
            }
        });
        kubeconfig = MockCluster.writeKubeconfig(tmp.resolve("kubeconfig"), client, Helm.NAMESPACE);
    }

    @Test
    void keepsTheCaBundleProxyGuardPatchedIntoEachWebhook() {
        liveMutating(Map.of("mutate-serviceentries.proxyguard.io", "ca-for-mutate"));
        liveValidating(Map.of("validate-serviceentries.proxyguard.io", "ca-for-serviceentries",
                "validate-workloads.proxyguard.io", "old-and-new-ca-during-rotation"));

        Map<String, String> caBundles = renderedCaBundles(renderAgainstCluster());

        assertThat(caBundles).containsOnly(
                Map.entry("mutate-serviceentries.proxyguard.io", "ca-for-mutate"),
                Map.entry("validate-serviceentries.proxyguard.io", "ca-for-serviceentries"),
                Map.entry("validate-workloads.proxyguard.io", "old-and-new-ca-during-rotation"));
    }

    @Test
    void leavesTheCaBundleToProxyGuardOnFirstInstall() {
        Map<String, String> caBundles = renderedCaBundles(renderAgainstCluster());

        assertThat(caBundles).hasSize(3);
        assertThat(caBundles.values()).containsOnly("<none>");
    }

    @Test
    void givesAWebhookNoOtherWebhooksCaBundle() {
        liveValidating(Map.of("validate-serviceentries.proxyguard.io", "ca-for-serviceentries"));

        Map<String, String> caBundles = renderedCaBundles(renderAgainstCluster());

        assertThat(caBundles).containsEntry("validate-serviceentries.proxyguard.io", "ca-for-serviceentries")
                .containsEntry("validate-workloads.proxyguard.io", "<none>")
                .containsEntry("mutate-serviceentries.proxyguard.io", "<none>");
    }

    @Test
    void providedModeWritesTheCaFromValuesWhateverIsLive() throws Exception {
        liveValidating(Map.of("validate-serviceentries.proxyguard.io", "stale-self-managed-ca"));

        RenderedChart chart = renderAgainstCluster(Helm.scenario("provided-values.yaml"));

        String pem = new String(Base64.getDecoder().decode(
                chart.webhookClientConfigs().get(0).getCaBundle()), US_ASCII);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(renderedCaBundles(chart).values()).doesNotContain(encode("stale-self-managed-ca"));
    }

    private RenderedChart renderAgainstCluster(String... args) {
        Helm.HelmRun run = HELM.templateAgainst(kubeconfig, List.of(args));
        assertThat(run.exitCode()).as("helm template --dry-run=server:%n%s", run.stderr()).isZero();
        return RenderedChart.parse(run.stdout());
    }

    private void liveMutating(Map<String, String> caBundles) {
        List<MutatingWebhook> webhooks = caBundles.entrySet().stream().map(e -> new MutatingWebhookConfigurationBuilder()
                .addNewWebhook().withName(e.getKey()).withNewClientConfig().withCaBundle(encode(e.getValue()))
                .endClientConfig().endWebhook().build().getWebhooks().get(0)).toList();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder()
                .withMetadata(ownedByTheRelease()).withWebhooks(webhooks).build()).create();
    }

    private void liveValidating(Map<String, String> caBundles) {
        List<ValidatingWebhook> webhooks = caBundles.entrySet().stream().map(e -> new ValidatingWebhookConfigurationBuilder()
                .addNewWebhook().withName(e.getKey()).withNewClientConfig().withCaBundle(encode(e.getValue()))
                .endClientConfig().endWebhook().build().getWebhooks().get(0)).toList();
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withMetadata(ownedByTheRelease()).withWebhooks(webhooks).build()).create();
    }

    /** Metadata of an object a previous {@code helm install} of this release created. */
    private static ObjectMeta ownedByTheRelease() {
        return new ObjectMetaBuilder().withName(FULLNAME)
                .addToLabels("app.kubernetes.io/managed-by", "Helm")
                .addToAnnotations("meta.helm.sh/release-name", Helm.RELEASE)
                .addToAnnotations("meta.helm.sh/release-namespace", Helm.NAMESPACE)
                .build();
    }

    /** Webhook name to its rendered caBundle, decoded; {@code <none>} where the render has none. */
    private static Map<String, String> renderedCaBundles(RenderedChart chart) {
        Map<String, String> bundles = new HashMap<>();
        chart.all(MutatingWebhookConfiguration.class).forEach(c -> c.getWebhooks().forEach(w ->
                bundles.put(w.getName(), decode(w.getClientConfig().getCaBundle()))));
        chart.all(ValidatingWebhookConfiguration.class).forEach(c -> c.getWebhooks().forEach(w ->
                bundles.put(w.getName(), decode(w.getClientConfig().getCaBundle()))));
        return bundles.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(US_ASCII));
    }

    private static String decode(String caBundle) {
        return caBundle == null ? "<none>" : new String(Base64.getDecoder().decode(caBundle), US_ASCII);
    }
}
