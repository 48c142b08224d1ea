package io.proxyguard.engine.mesh;

import java.util.Map;

/** A Namespace as far as Istio's injection cares: its name and labels. */
public record NamespaceInfo(String name, Map<String, String> labels) {

    public NamespaceInfo {
        labels = Map.copyOf(labels);
    }

    public String label(String key) {
        return labels.getOrDefault(key, "");
    }
}
