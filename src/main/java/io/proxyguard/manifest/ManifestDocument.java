package io.proxyguard.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.model.KubeObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One YAML or JSON document of an input file: where it came from and the Kubernetes objects in it
 * (the document itself, or the items of a {@code kind: List}). Documents that are not objects pass through.
 */
public record ManifestDocument(String source, int line, JsonNode node) {

    public boolean isList() {
        return node.isObject() && "List".equals(node.path("kind").asText()) && node.path("items").isArray();
    }

    /** The Kubernetes objects the document holds. */
    public List<KubeObject> objects() {
        List<KubeObject> objects = new ArrayList<>();
        if (isList()) {
            node.path("items").forEach(item -> {
                if (item instanceof ObjectNode object) {
                    objects.add(KubeObject.of(object));
                }
            });
        } else if (node instanceof ObjectNode object && object.has("kind")) {
            objects.add(KubeObject.of(object));
        }
        return objects;
    }

    /** The document with its objects replaced, in order, by {@code replacements} (for {@code --fix}). */
    public JsonNode withObjects(List<JsonNode> replacements) {
        if (isList()) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            var items = copy.putArray("items");
            replacements.forEach(items::add);
            return copy;
        }
        return replacements.isEmpty() ? node : replacements.get(0);
    }
}
