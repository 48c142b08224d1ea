package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Informers on everything the rules read beside the object under review, in every namespace, feeding a
 * {@link LiveClusterView}: ServiceEntries and Sidecars (each in the version the server prefers; no Sidecar
 * informer when the cluster serves no Sidecar version), Services, ConfigMaps (proxy settings, mesh config),
 * Namespaces (labels), and the workload kinds (the proxies they use, who sees what). Read-only: get, list and
 * watch. Objects are trimmed as they arrive ({@link TrimmedItemStore}) and listed in pages of
 * {@value #LIST_PAGE_SIZE}. The webhook is ready only when {@link #hasSynced()} (every informer has listed once
 * and the view has been indexed).
 */
public final class ClusterWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

    /** Objects per page of an informer's list, as Kubernetes' own reflectors ask for. */
    static final long LIST_PAGE_SIZE = 500;

    private final KubernetesClient client;
    private final LiveClusterView view;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new CopyOnWriteArrayList<>();
    private volatile boolean indexed;

    public ClusterWatch(KubernetesClient client, LiveClusterView view) {
        this.client = client;
        this.view = view;
    }

    /** Starts the informers without waiting; {@link #hasSynced()} says when they are done. */
    public ClusterWatch start() {
        List<WatchedResource> resources = watchedResources();
        // all created before any starts: one that syncs early must not find the list still growing
        for (WatchedResource resource : resources) {
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(resource.context())
                    .inAnyNamespace().withLimit(LIST_PAGE_SIZE).runnableInformer(0);
            informer.removeNamespaceIndex(); // nothing looks objects up by namespace in the informer
            informer.itemStore(view.newStore(resource, client.getKubernetesSerialization()));
            informers.add(informer);
        }
        for (int i = 0; i < resources.size(); i++) {
            WatchedResource resource = resources.get(i);
            informers.get(i).start().whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.warn("informer for {} {} did not start, so the webhook stays unready (does its service account have "
                            + "get, list and watch on {}?): {}", resource.apiVersion(), resource.kind(), resource.plural(), error.getMessage());
                } else {
                    LOG.info("informer for {} {} synced", resource.apiVersion(), resource.kind());
                    indexWhenAllSynced();
                }
            });
        }
        return this;
    }

    private List<WatchedResource> watchedResources() {
        ClusterReader reader = new ClusterReader(client);
        List<WatchedResource> resources = new ArrayList<>(List.of(reader.serviceEntryVersion()));
        reader.sidecarVersion().ifPresentOrElse(resources::add, () -> LOG.warn(
                "the cluster serves no networking.istio.io Sidecar version: no Sidecar resource applies to any pod (restart to pick up a CRD installed later)"));
        resources.addAll(WatchedResource.VIEW_SUPPORT);
        resources.add(WatchedResource.NAMESPACE);
        resources.addAll(WatchedResource.WORKLOADS);
        return resources;
    }

    public boolean hasSynced() {
        return indexed;
    }

    /** Indexes the view once every informer has listed (their stores are the view's objects). */
    private synchronized void indexWhenAllSynced() {
        if (!indexed && informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
            view.rebuildNow();
            indexed = true;
            LOG.info("cluster view ready: {} objects kept", view.size());
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::stop);
    }
}
