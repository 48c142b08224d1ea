package io.proxyguard.engine.mesh;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of Istio's mesh configuration that decide what a sidecar sees, and how ProxyGuard takes namespaces
 * it knows nothing about.
 *
 * @param outboundPolicy            meshConfig {@code outboundTrafficPolicy.mode}
 * @param rootNamespace             meshConfig {@code rootNamespace}: where a selector-less Sidecar applies mesh-wide
 * @param defaultServiceExportTo    meshConfig {@code defaultServiceExportTo}: exportTo of objects that set none
 * @param istioNamespace            where istiod and its mesh ConfigMaps ({@code istio}, {@code istio-REV}) live
 * @param enableNamespacesByDefault Istio's injector setting {@code sidecarInjectorWebhook.enableNamespacesByDefault}:
 *                                  namespaces without an injection label get sidecars too
 * @param unknownNamespacesInjected how to take a namespace of which no Namespace object is in view (offline inputs
 *                                  usually carry none): true keeps ProxyGuard's behaviour before it knew namespaces
 */
public record MeshSettings(OutboundPolicy outboundPolicy, String rootNamespace, ExportTo defaultServiceExportTo,
                           String istioNamespace, boolean enableNamespacesByDefault, boolean unknownNamespacesInjected) {

    /** Istio's own defaults, and unknown namespaces taken as injected. */
    public static final MeshSettings DEFAULTS = new MeshSettings(OutboundPolicy.ALLOW_ANY, "istio-system",
            ExportTo.EVERYWHERE, "istio-system", false, true);

    /**
     * These settings with what the {@code mesh} key of an Istio mesh ConfigMap sets laid over them (it holds a YAML
     * document, already parsed here). Problems are added to {@code problems}; the fields they concern keep their value.
     */
    public MeshSettings overlaidWith(JsonNode mesh, List<String> problems) {
        if (!mesh.isObject()) {
            return this;
        }
        OutboundPolicy policy = outboundPolicy;
        JsonNode given = mesh.path("outboundTrafficPolicy");
        if (given.isObject()) {
            // the object replaces the default one; a mode it does not set is the enum's zero value
            JsonNode mode = given.path("mode");
            policy = mode.isMissingNode() || mode.isNull() ? OutboundPolicy.REGISTRY_ONLY : OutboundPolicy.parse(mode.asText()).orElse(null);
            if (policy == null) {
                problems.add("outboundTrafficPolicy.mode: '" + mode.asText() + "' is neither ALLOW_ANY nor REGISTRY_ONLY");
                policy = outboundPolicy;
            }
        }
        String root = mesh.path("rootNamespace").isTextual() && !mesh.path("rootNamespace").asText().isBlank()
                ? mesh.path("rootNamespace").asText() : rootNamespace;
        ExportTo exportTo = defaultServiceExportTo;
        JsonNode defaultExport = mesh.path("defaultServiceExportTo");
        if (defaultExport.isArray() && !defaultExport.isEmpty()) {
            List<String> values = new ArrayList<>();
            defaultExport.forEach(v -> values.add(v.asText()));
            exportTo = ExportTo.of(values);
        }
        return new MeshSettings(policy, root, exportTo, istioNamespace, enableNamespacesByDefault, unknownNamespacesInjected);
    }

    /**
     * These settings with Istio's defaults for the meshConfig keys: what a mesh ConfigMap is laid over, since istiod
     * applies it to its own defaults (pkg/config/mesh/mesh.go {@code ApplyMeshConfigDefaults}), not to what
     * ProxyGuard's {@code mesh:} section assumes for inputs without one.
     */
    public MeshSettings withIstioDefaults() {
        return new MeshSettings(DEFAULTS.outboundPolicy, DEFAULTS.rootNamespace, DEFAULTS.defaultServiceExportTo, istioNamespace,
                enableNamespacesByDefault, unknownNamespacesInjected);
    }
}
