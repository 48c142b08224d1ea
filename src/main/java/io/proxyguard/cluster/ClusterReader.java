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
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Lists the objects ProxyGuard judges from a live cluster, with what decides how they are judged: ServiceEntries
 * (the first version the server serves), Services and ConfigMaps, workloads, and the mesh around them: every
 * Namespace (labels decide injection), every Sidecar (the version the server prefers; none when the cluster has
 * no Sidecar CRD) and the mesh ConfigMaps in Istio's namespace. Pods, ReplicaSets and Jobs created by a
 * controller are skipped: their owner's template is judged instead, where a finding reaches its author. Every list
 * is paged, so memory follows what the caller keeps and one page, not the size of the cluster.
 */
public final class ClusterReader {

    /** Objects per page of a list: what kubectl and Gatekeeper's audit ask for. */
    public static final long PAGE_SIZE = 500;

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
        return collect(namespace, mesh, Optional::of);
    }

    /**
     * What a {@link io.proxyguard.engine.view.ClusterView} needs of the objects {@link #list} returns, each trimmed
     * as the webhook's cache keeps it ({@link ObjectTrimmer}): the view of an audit holds no more of the cluster
     * than the webhook's does, and the full objects are garbage one page at a time.
     */
    public List<KubeObject> listForView(Optional<String> namespace, MeshSettings mesh) {
        ConfigMapKeys configMapKeys = new ConfigMapKeys();
        return collect(namespace, mesh, object -> {
            Optional<KubeObject> trimmed = ObjectTrimmer.trim(object, configMapKeys);
            trimmed.filter(WorkloadFacts::isWorkload).ifPresent(configMapKeys::learnFrom);
            return trimmed;
        });
    }

    /**
     * Hands the objects ProxyGuard judges in {@code namespace} (every namespace when empty), a page at a time, to
     * {@code pages}: ServiceEntries, then the workloads no controller owns. Nothing is kept between pages.
     */
    public void forEachCheckedPage(Optional<String> namespace, Consumer<List<KubeObject>> pages) {
        forEachPage(serviceEntryVersion(), namespace, pages);
        forEachWorkloadPage(namespace, pages);
    }

    /** The workloads no controller owns in {@code namespace} (every namespace when empty), a page at a time. */
    public void forEachWorkloadPage(Optional<String> namespace, Consumer<List<KubeObject>> pages) {
        for (WatchedResource resource : WatchedResource.WORKLOADS) {
            forEachPage(resource, namespace, page -> pages.accept(page.stream().filter(o -> !WorkloadFacts.isControlled(o)).toList()));
        }
    }

    private List<KubeObject> collect(Optional<String> namespace, MeshSettings mesh, Function<KubeObject, Optional<KubeObject>> keep) {
        List<KubeObject> objects = new ArrayList<>();
        Consumer<List<KubeObject>> kept = page -> page.forEach(object -> keep.apply(object).ifPresent(objects::add));
        forEachPage(serviceEntryVersion(), namespace, kept);
        sidecarVersion().ifPresent(sidecars -> forEachPage(sidecars, Optional.empty(), kept));
        forEachPage(WatchedResource.NAMESPACE, Optional.empty(), kept);
        // workloads before ConfigMaps: which keys of a ConfigMap matter is learnt from the workloads that read them
        for (WatchedResource resource : WatchedResource.WORKLOADS) {
            forEachPage(resource, namespace, page -> kept.accept(page.stream().filter(o -> !WorkloadFacts.isControlled(o)).toList()));
        }
        for (WatchedResource resource : WatchedResource.VIEW_SUPPORT) {
            forEachPage(resource, namespace, kept);
        }
        if (namespace.isPresent() && !namespace.get().equals(mesh.istioNamespace())) {
            forEachPage(WatchedResource.CONFIG_MAP, Optional.of(mesh.istioNamespace()),
                    page -> kept.accept(page.stream().filter(configMap -> MeshIndex.isMeshConfigMap(configMap, mesh)).toList()));
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

    /**
     * Lists {@code resource} in pages of {@value #PAGE_SIZE} ({@code limit} and {@code continue}, as kubectl and
     * Kubernetes' reflectors do), handing each page to {@code pages} before the next is asked for. A continue token
     * that expired meanwhile (410 Gone) fails the whole list: a caller that restarted it would see objects twice.
     */
    public void forEachPage(WatchedResource resource, Optional<String> namespace, Consumer<List<KubeObject>> pages) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation =
                client.genericKubernetesResources(resource.context());
        AnyNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> scoped =
                namespace.<AnyNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>>map(
                        operation::inNamespace).orElseGet(operation::inAnyNamespace);
        KubernetesSerialization serialization = client.getKubernetesSerialization();
        String next = null;
        do {
            GenericKubernetesResourceList page = scoped.list(new ListOptionsBuilder().withLimit(PAGE_SIZE).withContinue(next).build());
            pages.accept(page.getItems().stream().map(item -> toKubeObject(serialization, item, resource)).toList());
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
    }

    /** The object as raw JSON, with apiVersion and kind set (list items may omit them). */
    static KubeObject toKubeObject(KubernetesSerialization serialization, GenericKubernetesResource item, WatchedResource resource) {
        ObjectNode json = (ObjectNode) serialization.convertValue(item, JsonNode.class);
        json.put("apiVersion", resource.apiVersion());
        json.put("kind", resource.kind());
        return KubeObject.of(json);
    }
}
