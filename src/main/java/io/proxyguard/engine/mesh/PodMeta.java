package io.proxyguard.engine.mesh;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * What Istio reads of a pod to decide whether it has a sidecar, which Sidecar resource applies and what is
 * captured: its namespace, the labels and annotations of the pod (or of a controller's pod template) and
 * {@code hostNetwork}.
 */
public record PodMeta(String namespace, Map<String, String> labels, Map<String, String> annotations, boolean hostNetwork) {

    public PodMeta {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** Reads {@code metadata.labels}, {@code metadata.annotations} of {@code podMetadata} and {@code hostNetwork} of {@code podSpec}. */
    public static PodMeta read(String namespace, JsonNode podMetadata, JsonNode podSpec) {
        return new PodMeta(namespace, strings(podMetadata.path("labels")), strings(podMetadata.path("annotations")),
                podSpec.path("hostNetwork").asBoolean(false));
    }

    /** A JSON object's string values; values of other types are read as text, nulls skipped. */
    public static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new TreeMap<>();
        if (object.isObject()) {
            object.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull() && e.getValue().isValueNode()) {
                    values.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return values;
    }

    public String label(String key) {
        return labels.getOrDefault(key, "");
    }

    public String annotation(String key) {
        return annotations.getOrDefault(key, "");
    }
}
