package io.proxyguard.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.ResourceRef;

/**
 * One Kubernetes object as it arrived (raw JSON), with its identity read once. The raw tree is the
 * reference for patches: fixes are applied to a copy of it, so fields no model knows survive.
 */
public record KubeObject(ObjectNode json, ResourceRef ref) {

    public static KubeObject of(ObjectNode json) {
        JsonNode metadata = json.path("metadata");
        ResourceRef ref = new ResourceRef(
                json.path("apiVersion").asText(""),
                json.path("kind").asText(""),
                metadata.path("namespace").asText(""),
                metadata.path("name").asText(metadata.path("generateName").asText("")));
        return new KubeObject(json, ref);
    }

    public String kind() {
        return ref.kind();
    }

    /** The API group of {@code apiVersion}: {@code networking.istio.io} for {@code networking.istio.io/v1}. */
    public String group() {
        String apiVersion = ref.apiVersion();
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** One annotation's value, or "" when absent. */
    public String annotation(String key) {
        return json.path("metadata").path("annotations").path(key).asText("");
    }
}
