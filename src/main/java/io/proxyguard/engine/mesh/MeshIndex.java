package io.proxyguard.engine.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.SafeYaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the mesh decides per pod, indexed once: Namespaces (labels), Sidecar resources by namespace (oldest
 * first) and the mesh settings of each istiod revision (ConfigMap {@code istio} or {@code istio-REV}, key
 * {@code mesh}, in the Istio namespace, laid over Istio's defaults as istiod does; ProxyGuard's {@code mesh:}
 * configuration stands in when the view has no such ConfigMap). Every question is a map lookup plus a walk over
 * one namespace's Sidecars.
 */
public final class MeshIndex {

    public static final String MESH_CONFIG_MAP = "istio";
    public static final String MESH_KEY = "mesh";

    private final MeshSettings base;
    private final Map<String, NamespaceInfo> namespaces;
    private final Map<String, List<SidecarResource>> sidecarsByNamespace;
    private final Map<String, MeshSettings> settingsByRevision;
    private final List<MeshProblem> problems;

    private MeshIndex(MeshSettings base, Map<String, NamespaceInfo> namespaces, Map<String, List<SidecarResource>> sidecars,
                      Map<String, MeshSettings> settingsByRevision, List<MeshProblem> problems) {
        this.base = base;
        this.namespaces = Map.copyOf(namespaces);
        this.sidecarsByNamespace = Map.copyOf(sidecars);
        this.settingsByRevision = Map.copyOf(settingsByRevision);
        this.problems = List.copyOf(problems);
    }

    public static MeshIndex empty(MeshSettings base) {
        return new MeshIndex(base, Map.of(), Map.of(), Map.of(), List.of());
    }

    /** Indexes the Namespaces, Sidecars and mesh ConfigMaps among {@code objects}; other objects are ignored. */
    public static MeshIndex of(Collection<KubeObject> objects, MeshSettings base) {
        Map<String, NamespaceInfo> namespaces = new HashMap<>();
        Map<String, List<SidecarResource>> sidecars = new HashMap<>();
        Map<String, MeshSettings> settings = new HashMap<>();
        List<MeshProblem> problems = new ArrayList<>();
        for (KubeObject object : objects) {
            if (isNamespace(object)) {
                String name = object.ref().name();
                namespaces.put(name, new NamespaceInfo(name, PodMeta.strings(object.json().path("metadata").path("labels"))));
            } else if (SidecarResource.isSidecar(object)) {
                SidecarResource sidecar = SidecarResource.read(object);
                sidecars.computeIfAbsent(object.ref().namespace(), n -> new ArrayList<>()).add(sidecar);
            } else if (isMeshConfigMap(object, base)) {
                meshSettings(object, base, problems).ifPresent(s -> settings.put(revisionOf(object.ref().name()), s));
            }
        }
        Map<String, List<SidecarResource>> sorted = new HashMap<>();
        sidecars.forEach((namespace, list) -> sorted.put(namespace, list.stream().sorted(SidecarResource.OLDEST_FIRST).toList()));
        return new MeshIndex(base, namespaces, sorted, settings, problems);
    }

    public static boolean isNamespace(KubeObject object) {
        return "Namespace".equals(object.kind()) && object.group().isEmpty();
    }

    /** A ConfigMap {@code istio} or {@code istio-REV} in the Istio namespace with a {@code mesh} key. */
    public static boolean isMeshConfigMap(KubeObject object, MeshSettings base) {
        String name = object.ref().name();
        return "ConfigMap".equals(object.kind()) && object.group().isEmpty()
                && object.ref().namespace().equals(base.istioNamespace())
                && (name.equals(MESH_CONFIG_MAP) || name.startsWith(MESH_CONFIG_MAP + "-"))
                && object.json().path("data").has(MESH_KEY);
    }

    private static String revisionOf(String configMapName) {
        return configMapName.equals(MESH_CONFIG_MAP) ? "" : configMapName.substring(MESH_CONFIG_MAP.length() + 1);
    }

    private static Optional<MeshSettings> meshSettings(KubeObject configMap, MeshSettings base, List<MeshProblem> problems) {
        String where = "ConfigMap " + configMap.ref().namespacedName() + " data." + MESH_KEY;
        try {
            JsonNode mesh = SafeYaml.readOne(configMap.json().path("data").path(MESH_KEY).asText(""), where);
            List<String> found = new ArrayList<>();
            MeshSettings settings = base.withIstioDefaults().overlaidWith(mesh, found);
            found.forEach(p -> problems.add(new MeshProblem(configMap.ref(), where + ": " + p + "; Istio's default is used")));
            return Optional.of(settings);
        } catch (ManifestException e) {
            problems.add(new MeshProblem(configMap.ref(), where + ": " + e.getMessage() + "; the ConfigMap is ignored"));
            return Optional.empty();
        }
    }

    /** Problems found reading the mesh ConfigMaps (their other settings are still used). */
    public List<MeshProblem> problems() {
        return problems;
    }

    public Optional<NamespaceInfo> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    /** The mesh settings of {@code revision} ("" for the default one), falling back to the default revision's. */
    public MeshSettings settings(String revision) {
        MeshSettings settings = settingsByRevision.get(revision);
        if (settings == null) {
            settings = settingsByRevision.getOrDefault("", base);
        }
        return settings;
    }

    public Enrollment enrollment(PodMeta pod) {
        return Enrollment.decide(pod, namespace(pod.namespace()), base);
    }

    /**
     * The Sidecar a pod uses (push_context.go {@code doGetSidecarScope}): the oldest of its namespace whose selector
     * matches it, else the oldest selector-less one of its namespace, else the oldest selector-less one of the root
     * namespace, else none.
     */
    public SidecarScope scope(PodMeta pod, MeshSettings settings) {
        List<SidecarResource> local = sidecarsByNamespace.getOrDefault(pod.namespace(), List.of());
        SidecarResource chosen = oldestSelecting(local, pod);
        if (chosen == null) {
            chosen = namespaceDefault(local);
        }
        if (chosen == null) {
            chosen = namespaceDefault(sidecarsByNamespace.getOrDefault(settings.rootNamespace(), List.of()));
        }
        if (chosen == null) {
            return new SidecarScope(Optional.empty(), pod.namespace(), settings.outboundPolicy(), MESH_POLICY);
        }
        Optional<OutboundPolicy> own = chosen.outboundPolicy();
        return new SidecarScope(Optional.of(chosen), pod.namespace(), own.orElse(settings.outboundPolicy()),
                own.isPresent() ? "Sidecar " + chosen.ref().namespacedName() : MESH_POLICY);
    }

    private static final String MESH_POLICY = "mesh config";

    /** The oldest Sidecar (they are sorted so) whose workload selector matches the pod, or null. */
    private static SidecarResource oldestSelecting(List<SidecarResource> sidecars, PodMeta pod) {
        for (SidecarResource sidecar : sidecars) {
            if (sidecar.hasSelector() && sidecar.selects(pod)) {
                return sidecar;
            }
        }
        return null;
    }

    /** The oldest Sidecar without workload selector, or null. */
    private static SidecarResource namespaceDefault(List<SidecarResource> sidecars) {
        for (SidecarResource sidecar : sidecars) {
            if (!sidecar.hasSelector()) {
                return sidecar;
            }
        }
        return null;
    }
}
