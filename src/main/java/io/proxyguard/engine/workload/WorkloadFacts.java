package io.proxyguard.engine.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.mesh.PodMeta;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Pod, or a controller with a pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob),
 * reduced to what the PG2xx rules read: each container's proxy environment. Read from the raw JSON, so a
 * field of the wrong type is simply absent, never an exception.
 */
public record WorkloadFacts(KubeObject object, FieldPath podSpec, PodMeta pod, List<ContainerEnv> containers) {

    private static final Map<String, List<Object>> POD_SPEC_BY_KIND = Map.of(
            "/Pod", List.of("spec"),
            "apps/Deployment", List.of("spec", "template", "spec"),
            "apps/StatefulSet", List.of("spec", "template", "spec"),
            "apps/DaemonSet", List.of("spec", "template", "spec"),
            "apps/ReplicaSet", List.of("spec", "template", "spec"),
            "batch/Job", List.of("spec", "template", "spec"),
            "batch/CronJob", List.of("spec", "jobTemplate", "spec", "template", "spec"));

    /** The kinds read here, without their group: Pod, Deployment, ... */
    public static final Set<String> KINDS = POD_SPEC_BY_KIND.keySet().stream()
            .map(key -> key.substring(key.indexOf('/') + 1)).collect(Collectors.toUnmodifiableSet());

    /** The container lists of a pod spec that are read, in the order they are read. */
    public static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers");

    public static boolean isWorkload(KubeObject object) {
        return POD_SPEC_BY_KIND.containsKey(object.group() + "/" + object.kind());
    }

    /** The workload's containers with their proxy variables, resolving ConfigMap references through {@code view}. */
    public static WorkloadFacts read(KubeObject object, ClusterView view) {
        FieldPath podSpec = podSpec(object);
        JsonNode spec = object.json().at(podSpec.pointer());
        List<ContainerEnv> containers = new ArrayList<>();
        for (String list : CONTAINER_LISTS) {
            JsonNode items = spec.path(list);
            for (int i = 0; i < items.size(); i++) {
                containers.add(readContainer(items.path(i), podSpec.child(list).child(i), object.ref().namespace(), view));
            }
        }
        JsonNode podMetadata = object.json().at(podMetadata(podSpec).pointer());
        PodMeta pod = PodMeta.read(object.ref().namespace(), podMetadata, spec);
        return new WorkloadFacts(object, podSpec, pod, containers);
    }

    /** Where a workload keeps its pod spec: {@code spec} of a Pod, {@code spec.template.spec} of a Deployment. */
    public static FieldPath podSpec(KubeObject workload) {
        return new FieldPath(POD_SPEC_BY_KIND.get(workload.group() + "/" + workload.kind()));
    }

    /** The pod's metadata beside its spec: {@code metadata} of a Pod, {@code spec.template.metadata} of a Deployment. */
    public static FieldPath podMetadata(FieldPath podSpec) {
        List<Object> elements = new ArrayList<>(podSpec.segments());
        elements.set(elements.size() - 1, "metadata");
        return new FieldPath(elements);
    }

    /** True when a controller owns the object (a Deployment's ReplicaSet, a ReplicaSet's Pod): its owner is judged instead. */
    public static boolean isControlled(KubeObject object) {
        for (JsonNode owner : object.json().path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** Every proxy variable of every container. */
    public List<ProxyVariable> proxyVariables() {
        return containers.stream().flatMap(c -> c.proxies().stream()).toList();
    }

    private static ContainerEnv readContainer(JsonNode container, FieldPath path, String namespace, ClusterView view) {
        Map<String, ProxyVariable> variables = new LinkedHashMap<>();
        JsonNode envFrom = container.path("envFrom");
        for (int i = 0; i < envFrom.size(); i++) {
            readEnvFrom(envFrom.path(i), path.child("envFrom").child(i), namespace, view, variables);
        }
        JsonNode env = container.path("env");
        for (int i = 0; i < env.size(); i++) {
            JsonNode item = env.path(i);
            String name = item.path("name").asText("");
            if (isRelevant(name)) {
                variables.put(name, readEnv(item, name, path.child("env").child(i), namespace, view));
            }
        }
        List<ProxyVariable> proxies = variables.values().stream().filter(v -> ProxyVariable.isProxyName(v.name())).toList();
        return new ContainerEnv(container.path("name").asText(""), proxies, noProxyAsCurlReadsIt(variables));
    }

    /** {@code no_proxy}, or {@code NO_PROXY} when {@code no_proxy} is unset or empty: curl's order. */
    private static Optional<ProxyVariable> noProxyAsCurlReadsIt(Map<String, ProxyVariable> variables) {
        ProxyVariable lower = variables.get("no_proxy");
        if (lower != null && !(lower.known() && lower.value().isEmpty())) {
            return Optional.of(lower);
        }
        return Optional.ofNullable(variables.get("NO_PROXY")).or(() -> Optional.ofNullable(lower));
    }

    private static void readEnvFrom(JsonNode source, FieldPath path, String namespace, ClusterView view,
                                    Map<String, ProxyVariable> variables) {
        String prefix = source.path("prefix").asText("");
        if (source.has("configMapRef")) {
            String name = source.path("configMapRef").path("name").asText("");
            view.configMapData(namespace, name).ifPresent(data -> data.forEach((key, value) -> {
                String variable = prefix + key;
                if (isRelevant(variable)) {
                    variables.put(variable, new ProxyVariable(variable, ProxyVariable.Source.CONFIG_MAP, value, path.child("configMapRef")));
                }
            }));
        }
        // envFrom.secretRef: the keys are unknown without reading the Secret, which ProxyGuard never does.
    }

    private static ProxyVariable readEnv(JsonNode item, String name, FieldPath path, String namespace, ClusterView view) {
        if (item.has("value")) {
            return new ProxyVariable(name, ProxyVariable.Source.LITERAL, item.path("value").asText(""), path.child("value"));
        }
        JsonNode from = item.path("valueFrom");
        if (from.has("configMapKeyRef")) {
            JsonNode ref = from.path("configMapKeyRef");
            Optional<String> value = view.configMapData(namespace, ref.path("name").asText(""))
                    .map(data -> data.get(ref.path("key").asText("")));
            return value.map(v -> new ProxyVariable(name, ProxyVariable.Source.CONFIG_MAP, v, path.child("valueFrom")))
                    .orElseGet(() -> new ProxyVariable(name, ProxyVariable.Source.UNKNOWN_CONFIG_MAP, null, path.child("valueFrom")));
        }
        if (from.has("secretKeyRef")) {
            return new ProxyVariable(name, ProxyVariable.Source.SECRET, null, path.child("valueFrom"));
        }
        return new ProxyVariable(name, ProxyVariable.Source.LITERAL, "", path);
    }

    private static boolean isRelevant(String name) {
        return ProxyVariable.isProxyName(name) || ProxyVariable.isNoProxyName(name);
    }
}
