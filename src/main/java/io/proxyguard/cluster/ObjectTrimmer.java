package io.proxyguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.mesh.ExportTo;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.workload.ProxyVariable;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The form in which the webhook's cluster view keeps an object: only what the rules read of it, so that memory
 * follows what matters and not what the API server sends (managedFields alone are often half of an object).
 * <ul>
 *   <li>A workload keeps its identity, its pod template's labels and Istio annotations, {@code hostNetwork}, and
 *   for each container its name, its proxy variables ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code ALL_PROXY},
 *   {@code NO_PROXY}, upper or lower case) and {@code envFrom}. One that a controller owns (a Deployment's
 *   ReplicaSet, a ReplicaSet's Pod) is dropped: its owner's template is judged, as the audit does.</li>
 *   <li>A Namespace keeps its name and labels.</li>
 *   <li>A ConfigMap keeps its identity and the data keys a rule can read ({@link ConfigMapKeys}): proxy variables,
 *   keys that workloads read into one, Istio's mesh config. A 500 KB Grafana dashboard is dropped on arrival.</li>
 *   <li>A Service keeps its identity, its {@code networking.istio.io/exportTo} annotation and its ports' number,
 *   name and appProtocol.</li>
 *   <li>ServiceEntries and Sidecars, whose spec the rules read whole, lose what no rule reads and what changes
 *   without meaning anything to them: managedFields, the last-applied annotation, resourceVersion, generation,
 *   uid, status.</li>
 * </ul>
 * Two trimmed forms are equal exactly when the rules would see no difference, so an update that only touches a
 * status or a replica count can be ignored. The trimmed tree is read-only and built compact (see {@code frozen});
 * it shares its leaves with the object given, which is left unchanged.
 */
final class ObjectTrimmer {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    /** Pod annotations Istio reads (injection, capture, proxy config); the others are left out. */
    static final List<String> ISTIO_ANNOTATION_PREFIXES = List.of("sidecar.istio.io/", "traffic.sidecar.istio.io/", "istio.io/",
            "proxy.istio.io/");

    private static final Set<String> METADATA_NOISE = Set.of("managedFields", "resourceVersion", "generation", "uid", "selfLink");
    private static final Set<String> TOP_LEVEL_NOISE = Set.of("status");
    private static final List<String> SERVICE_PORT_FIELDS = List.of("name", "port", "appProtocol");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ObjectTrimmer() {
    }

    /**
     * The object as the view keeps it, or empty when the view does not keep it at all (a controlled workload);
     * {@code configMapKeys} says which keys of a ConfigMap are kept.
     */
    static Optional<KubeObject> trim(KubeObject object, ConfigMapKeys configMapKeys) {
        if (WorkloadFacts.isWorkload(object)) {
            return WorkloadFacts.isControlled(object) ? Optional.empty() : Optional.of(frozen(workload(object)));
        }
        if (MeshIndex.isNamespace(object)) {
            ObjectNode namespace = identity(object);
            copyIfPresent(object.json().path("metadata"), (ObjectNode) namespace.get("metadata"), "labels");
            return Optional.of(frozen(namespace));
        }
        if (isCore(object, "ConfigMap")) {
            return Optional.of(frozen(configMap(object, configMapKeys)));
        }
        if (isCore(object, "Service")) {
            return Optional.of(frozen(service(object)));
        }
        return Optional.of(frozen(withoutNoise(object.json())));
    }

    private static boolean isCore(KubeObject object, String kind) {
        return kind.equals(object.kind()) && object.group().isEmpty();
    }

    /** Identity and the {@code data} keys that {@code keys} keeps; labels, annotations and binaryData are left out. */
    private static ObjectNode configMap(KubeObject object, ConfigMapKeys keys) {
        ObjectNode kept = identity(object);
        ObjectNode data = NODES.objectNode();
        object.json().path("data").fields().forEachRemaining(entry -> {
            if (keys.keeps(object.ref().namespace(), object.ref().name(), entry.getKey())) {
                data.set(entry.getKey(), entry.getValue());
            }
        });
        kept.set("data", data);
        return kept;
    }

    /** Identity, the exportTo annotation, and each port's number, name and appProtocol: what {@code ServicePortUse} reads. */
    private static ObjectNode service(KubeObject object) {
        ObjectNode kept = identity(object);
        JsonNode exportTo = object.json().path("metadata").path("annotations").get(ExportTo.ANNOTATION);
        if (exportTo != null) {
            ((ObjectNode) kept.get("metadata")).putObject("annotations").set(ExportTo.ANNOTATION, exportTo);
        }
        ArrayNode ports = NODES.arrayNode();
        object.json().path("spec").path("ports").forEach(port -> {
            ObjectNode keptPort = ports.addObject();
            SERVICE_PORT_FIELDS.forEach(field -> copyIfPresent(port, keptPort, field));
        });
        kept.putObject("spec").set("ports", ports);
        return kept;
    }

    /**
     * The tree rebuilt in its most compact read-only form: small objects on {@link FrozenFields}, larger ones on a
     * LinkedHashMap of their size, arrays on immutable lists. Leaves are shared.
     */
    private static KubeObject frozen(ObjectNode tree) {
        return KubeObject.of((ObjectNode) frozenNode(tree));
    }

    private static JsonNode frozenNode(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new LinkedHashMap<>(node.size() * 4 / 3 + 1);
            node.fields().forEachRemaining(field -> fields.put(field.getKey(), frozenNode(field.getValue())));
            return new ObjectNode(NODES, fields.size() <= FrozenFields.MAX_FIELDS ? new FrozenFields(fields) : fields);
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>(node.size());
            node.forEach(item -> items.add(frozenNode(item)));
            return new ArrayNode(NODES, List.copyOf(items));
        }
        return node;
    }

    private static ObjectNode workload(KubeObject object) {
        ObjectNode trimmed = identity(object);
        FieldPath podSpecPath = WorkloadFacts.podSpec(object);
        FieldPath podMetadataPath = WorkloadFacts.podMetadata(podSpecPath);
        JsonNode podMetadata = object.json().at(podMetadataPath.pointer());
        ObjectNode keptMetadata = objectAt(trimmed, podMetadataPath.segments());
        copyIfPresent(podMetadata, keptMetadata, "labels");
        ObjectNode annotations = NODES.objectNode();
        podMetadata.path("annotations").fields().forEachRemaining(annotation -> {
            if (ISTIO_ANNOTATION_PREFIXES.stream().anyMatch(annotation.getKey()::startsWith)) {
                annotations.set(annotation.getKey(), annotation.getValue());
            }
        });
        if (!annotations.isEmpty()) {
            keptMetadata.set("annotations", annotations);
        }
        JsonNode podSpec = object.json().at(podSpecPath.pointer());
        ObjectNode keptSpec = objectAt(trimmed, podSpecPath.segments());
        copyIfPresent(podSpec, keptSpec, "hostNetwork");
        for (String list : WorkloadFacts.CONTAINER_LISTS) {
            if (podSpec.path(list).isArray()) {
                ArrayNode containers = keptSpec.putArray(list);
                podSpec.path(list).forEach(container -> containers.add(container(container)));
            }
        }
        return trimmed;
    }

    /** Name, proxy variables and envFrom: all {@code WorkloadFacts} reads of a container. */
    private static ObjectNode container(JsonNode container) {
        ObjectNode kept = NODES.objectNode();
        copyIfPresent(container, kept, "name");
        ArrayNode env = NODES.arrayNode();
        container.path("env").forEach(variable -> {
            String name = variable.path("name").asText("");
            if (ProxyVariable.isProxyName(name) || ProxyVariable.isNoProxyName(name)) {
                env.add(variable);
            }
        });
        if (!env.isEmpty()) {
            kept.set("env", env);
        }
        copyIfPresent(container, kept, "envFrom");
        return kept;
    }

    /** apiVersion, kind and metadata with name and namespace. */
    private static ObjectNode identity(KubeObject object) {
        ObjectNode kept = NODES.objectNode();
        copyIfPresent(object.json(), kept, "apiVersion");
        copyIfPresent(object.json(), kept, "kind");
        ObjectNode metadata = kept.putObject("metadata");
        copyIfPresent(object.json().path("metadata"), metadata, "name");
        copyIfPresent(object.json().path("metadata"), metadata, "namespace");
        return kept;
    }

    private static ObjectNode withoutNoise(ObjectNode json) {
        ObjectNode kept = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) json::fields) {
            if (field.getKey().equals("metadata") && field.getValue().isObject()) {
                kept.set("metadata", metadataWithoutNoise(field.getValue()));
            } else if (!TOP_LEVEL_NOISE.contains(field.getKey())) {
                kept.set(field.getKey(), field.getValue());
            }
        }
        return kept;
    }

    private static ObjectNode metadataWithoutNoise(JsonNode metadata) {
        ObjectNode kept = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) metadata::fields) {
            if (field.getKey().equals("annotations") && field.getValue().isObject()) {
                ObjectNode annotations = ((ObjectNode) field.getValue()).deepCopy();
                annotations.remove(LAST_APPLIED);
                if (!annotations.isEmpty()) {
                    kept.set("annotations", annotations);
                }
            } else if (!METADATA_NOISE.contains(field.getKey())) {
                kept.set(field.getKey(), field.getValue());
            }
        }
        return kept;
    }

    /** The object at {@code segments} below {@code root}, created on the way where missing. */
    private static ObjectNode objectAt(ObjectNode root, List<Object> segments) {
        ObjectNode node = root;
        for (Object segment : segments) {
            String field = segment.toString();
            node = node.get(field) instanceof ObjectNode existing ? existing : node.putObject(field);
        }
        return node;
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(field, value);
        }
    }
}
