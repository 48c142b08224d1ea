package io.proxyguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lists the objects ProxyGuard judges from a live cluster: ServiceEntries (the first version the server
 * serves), Services and ConfigMaps (for the view) and workloads. Pods, ReplicaSets and Jobs created by a
 * controller are skipped: their owner's template is judged instead, where a finding reaches its author.
 */
public final class ClusterReader {

    private final KubernetesClient client;

    public ClusterReader(KubernetesClient client) {
        this.client = client;
    }

    /** Every object in {@code namespace}, or in every namespace when it is empty. */
    public List<KubeObject> list(Optional<String> namespace) {
        List<KubeObject> objects = new ArrayList<>(serviceEntries(namespace));
        for (WatchedResource resource : WatchedResource.VIEW_SUPPORT) {
            objects.addAll(list(resource, namespace));
        }
        for (WatchedResource resource : WatchedResource.WORKLOADS) {
            list(resource, namespace).stream().filter(o -> !WorkloadFacts.isControlled(o)).forEach(objects::add);
        }
        return objects;
    }

    /** The ServiceEntry version the server serves, preferring v1. */
    public WatchedResource serviceEntryVersion() {
        for (WatchedResource version : WatchedResource.SERVICE_ENTRY_VERSIONS) {
            try {
                client.genericKubernetesResources(version.context()).inAnyNamespace()
                        .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
                return version;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("the cluster serves no networking.istio.io ServiceEntry version: is Istio installed?");
    }

    private List<KubeObject> serviceEntries(Optional<String> namespace) {
        return list(serviceEntryVersion(), namespace);
    }

    private List<KubeObject> list(WatchedResource resource, Optional<String> namespace) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation =
                client.genericKubernetesResources(resource.context());
        AnyNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> scoped =
                namespace.<AnyNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>>map(
                        operation::inNamespace).orElseGet(operation::inAnyNamespace);
        return scoped.list().getItems().stream().map(item -> toKubeObject(client, item, resource)).toList();
    }

    /** The object as raw JSON, with apiVersion and kind set (list items may omit them). */
    static KubeObject toKubeObject(KubernetesClient client, GenericKubernetesResource item, WatchedResource resource) {
        ObjectNode json = (ObjectNode) client.getKubernetesSerialization().convertValue(item, JsonNode.class);
        json.put("apiVersion", resource.apiVersion());
        json.put("kind", resource.kind());
        return KubeObject.of(json);
    }
}
