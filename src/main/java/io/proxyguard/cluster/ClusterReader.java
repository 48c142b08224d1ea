package io.proxyguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.mesh.MeshSettings;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the objects ProxyGuard judges from a live cluster, with what decides how they are judged: ServiceEntries
 * (the first version the server serves), Services and ConfigMaps, workloads, and the mesh around them: every
 * Namespace (labels decide injection), every Sidecar (the version the server prefers; none when the cluster has
 * no Sidecar CRD) and the mesh ConfigMaps in Istio's namespace. Pods, ReplicaSets and Jobs created by a
 * controller are skipped: their owner's template is judged instead, where a finding reaches its author.
 */
public final class ClusterReader {

    private final KubernetesClient client;

    public ClusterReader(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Every object in {@code namespace}, or in every namespace when it is empty. Limited to one namespace, the mesh
     * around it is still read whole (Namespaces, Sidecars, the mesh ConfigMaps of {@code mesh.istioNamespace()}), so
     * its workloads are judged as they would be in a whole-cluster audit.
     */
    public List<KubeObject> list(Optional<String> namespace, MeshSettings mesh) {
        List<KubeObject> objects = new ArrayList<>(list(serviceEntryVersion(), namespace));
        sidecarVersion().ifPresent(sidecars -> objects.addAll(list(sidecars, Optional.empty())));
        objects.addAll(list(WatchedResource.NAMESPACE, Optional.empty()));
        for (WatchedResource resource : WatchedResource.VIEW_SUPPORT) {
            objects.addAll(list(resource, namespace));
        }
        if (namespace.isPresent() && !namespace.get().equals(mesh.istioNamespace())) {
            list(WatchedResource.CONFIG_MAP, Optional.of(mesh.istioNamespace())).stream()
                    .filter(configMap -> MeshIndex.isMeshConfigMap(configMap, mesh)).forEach(objects::add);
        }
        for (WatchedResource resource : WatchedResource.WORKLOADS) {
            list(resource, namespace).stream().filter(o -> !WorkloadFacts.isControlled(o)).forEach(objects::add);
        }
        return objects;
    }

    /** The ServiceEntry version the server serves, preferring v1. */
    public WatchedResource serviceEntryVersion() {
        return preferredVersion(WatchedResource.SERVICE_ENTRY_VERSIONS).orElseThrow(() ->
                new IllegalStateException("the cluster serves no networking.istio.io ServiceEntry version: is Istio installed?"));
    }

    /** The Sidecar version the server serves, preferring v1; empty when it serves none (no Sidecar CRD: no Sidecar applies). */
    public Optional<WatchedResource> sidecarVersion() {
        return preferredVersion(WatchedResource.SIDECAR_VERSIONS);
    }

    /** The first of {@code versions} the server answers a list of, rather than 404. */
    private Optional<WatchedResource> preferredVersion(List<WatchedResource> versions) {
        for (WatchedResource version : versions) {
            try {
                client.genericKubernetesResources(version.context()).inAnyNamespace()
                        .list(new ListOptionsBuilder().withLimit(1L).build());
                return Optional.of(version);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    private List<KubeObject> list(WatchedResource resource, Optional<String> namespace) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation =
                client.genericKubernetesResources(resource.context());
        AnyNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> scoped =
                namespace.<AnyNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>>map(
                        operation::inNamespace).orElseGet(operation::inAnyNamespace);
        KubernetesSerialization serialization = client.getKubernetesSerialization();
        return scoped.list().getItems().stream().map(item -> toKubeObject(serialization, item, resource)).toList();
    }

    /** The object as raw JSON, with apiVersion and kind set (list items may omit them). */
    static KubeObject toKubeObject(KubernetesSerialization serialization, GenericKubernetesResource item, WatchedResource resource) {
        ObjectNode json = (ObjectNode) serialization.convertValue(item, JsonNode.class);
        json.put("apiVersion", resource.apiVersion());
        json.put("kind", resource.kind());
        return KubeObject.of(json);
    }
}
