package io.proxyguard.certmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.proxyguard.tls.Pem;
import io.proxyguard.tls.TlsMaterialException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code caBundle} of every webhook in ProxyGuard's two webhook configurations, found by name. It
 * writes that one field and nothing else, with a JSON patch whose {@code test} operations pin each webhook's
 * name at its index: a runbook's switch to {@code failurePolicy: Ignore} is never undone, and a list that
 * changed since it was read makes the patch fail instead of landing on the wrong webhook. A configuration
 * that does not exist (switched off, or deleted in an emergency) calls nobody and is skipped.
 */
final class WebhookTrust {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookTrust.class);

    /** One configuration: its kind for the log, and how to reach it. */
    private record Target(String kind, String name, Supplier<Resource<? extends HasMetadata>> resource) {
    }

    private final KubernetesClient client;
    private final List<Target> targets = new ArrayList<>();

    WebhookTrust(KubernetesClient client, Optional<String> mutating, Optional<String> validating) {
        this.client = client;
        mutating.ifPresent(name -> targets.add(new Target("MutatingWebhookConfiguration", name,
                () -> client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(name))));
        validating.ifPresent(name -> targets.add(new Target("ValidatingWebhookConfiguration", name,
                () -> client.admissionRegistration().v1().validatingWebhookConfigurations().withName(name))));
    }

    /** Every unexpired CA certificate that some webhook trusts now, each once, in the order found. */
    List<X509Certificate> currentlyTrusted(Instant now) {
        Set<X509Certificate> trusted = new LinkedHashSet<>();
        for (Target target : targets) {
            for (JsonNode webhook : webhooks(target)) {
                String bundle = webhook.path("clientConfig").path("caBundle").asText("");
                if (bundle.isEmpty()) {
                    continue;
                }
                try {
                    String pem = new String(Base64.getMimeDecoder().decode(bundle), StandardCharsets.US_ASCII);
                    Pem.decodeCertificates(pem, target.kind() + " " + target.name()).stream()
                            .filter(certificate -> certificate.getBasicConstraints() >= 0)
                            .filter(certificate -> now.isBefore(certificate.getNotAfter().toInstant()))
                            .forEach(trusted::add);
                } catch (IllegalArgumentException | TlsMaterialException e) {
                    LOG.warn("ignoring the caBundle of webhook {} in {} {}: {}", webhook.path("name").asText(),
                            target.kind(), target.name(), e.getMessage());
                }
            }
        }
        return List.copyOf(trusted);
    }

    /**
     * Makes every webhook's {@code caBundle} exactly {@code caBundlePem}, patching only those that differ.
     *
     * @return how many webhooks were patched
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when a patch fails; the trust is then not established
     */
    int ensure(String caBundlePem) {
        String wanted = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.US_ASCII));
        int patched = 0;
        for (Target target : targets) {
            ArrayNode operations = JsonNodeFactory.instance.arrayNode();
            List<String> names = new ArrayList<>();
            List<JsonNode> webhooks = webhooks(target);
            for (int i = 0; i < webhooks.size(); i++) {
                JsonNode webhook = webhooks.get(i);
                if (wanted.equals(webhook.path("clientConfig").path("caBundle").asText(""))) {
                    continue;
                }
                String name = webhook.path("name").asText();
                operations.add(operation("test", "/webhooks/" + i + "/name", name));
                operations.add(operation("add", "/webhooks/" + i + "/clientConfig/caBundle", wanted));
                names.add(name);
            }
            if (!operations.isEmpty()) {
                target.resource().get().patch(PatchContext.of(PatchType.JSON), operations.toString());
                LOG.info("patched caBundle of {} in {} {}", names, target.kind(), target.name());
                patched += names.size();
            }
        }
        return patched;
    }

    private List<JsonNode> webhooks(Target target) {
        HasMetadata configuration = target.resource().get().get();
        if (configuration == null) {
            LOG.debug("{} {} does not exist: nothing to patch", target.kind(), target.name());
            return List.of();
        }
        JsonNode json = client.getKubernetesSerialization().convertValue(configuration, JsonNode.class);
        List<JsonNode> webhooks = new ArrayList<>();
        json.path("webhooks").forEach(webhooks::add);
        return webhooks;
    }

    private static ObjectNode operation(String op, String path, String value) {
        return JsonNodeFactory.instance.objectNode().put("op", op).put("path", path).put("value", value);
    }
}
