package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real documents the hostile-input suites start from: every AdmissionReview fixture, and CREATE
 * reviews of every example ServiceEntry and of a Deployment that sets proxy variables.
 */
final class HostileReviews {

    private HostileReviews() {
    }

    static final List<String> FIXTURES = List.of("v1-create-clean", "v1-create-configmap", "v1-create-dry-run",
            "v1-create-http-proxy", "v1-create-two-denials", "v1-create-unreadable", "v1-delete",
            "v1-update-introduces-http", "v1-update-labels-only", "v1-update-old-and-new-denials",
            "v1-update-status-subresource", "v1beta1-create-http-proxy");

    static final List<String> EXAMPLES = List.of("broken/pg101-http-protocol.yaml", "broken/pg102-bare-ip.yaml",
            "broken/pg103-wide-cidr.yaml", "broken/pg104-no-address.yaml", "broken/pg105-dns-resolution.yaml",
            "broken/pg106-mesh-internal.yaml", "broken/pg107-redundant-wikipedia.yaml", "broken/pg108-two-addresses.yaml",
            "clean/guide-proxy-v1.yaml", "clean/ipv6-proxy-v1beta1.yaml");

    static List<ObjectNode> bases() {
        List<ObjectNode> bases = new ArrayList<>();
        FIXTURES.forEach(name -> bases.add(Fixtures.review(name)));
        EXAMPLES.forEach(path -> bases.add(Fixtures.createReviewOf(Fixtures.example(path))));
        bases.add(Fixtures.createReviewOf(deploymentWithProxyVariables()));
        return bases;
    }

    /** A Deployment whose containers set every kind of proxy variable the workload rules read. */
    static ObjectNode deploymentWithProxyVariables() {
        ObjectNode deployment = WebhookClient.JSON.createObjectNode();
        deployment.put("apiVersion", "apps/v1").put("kind", "Deployment");
        deployment.putObject("metadata").put("name", "cart").put("namespace", "shop");
        ArrayNode containers = deployment.putObject("spec").putObject("template").putObject("spec").putArray("containers");
        Stream.of("cart", "sidecar").forEach(name -> {
            ObjectNode container = containers.addObject().put("name", name).put("image", "cart:1");
            ArrayNode env = container.putArray("env");
            env.addObject().put("name", "HTTPS_PROXY").put("value", "http://user:secret@10.10.0.5:3128");
            env.addObject().put("name", "http_proxy").put("value", "my-company-proxy.com:3128");
            env.addObject().put("name", "NO_PROXY").put("value", ".svc,.cluster.local");
            env.addObject().put("name", "ALL_PROXY").putObject("valueFrom").putObject("configMapKeyRef").put("name", "p").put("key", "k");
            container.putArray("envFrom").addObject().putObject("configMapRef").put("name", "proxy-settings");
        });
        return deployment;
    }

    static List<JsonNode> asNodes() {
        return List.copyOf(bases());
    }
}
