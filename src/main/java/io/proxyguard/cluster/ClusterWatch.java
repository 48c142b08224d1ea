package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.proxyguard.engine.model.KubeObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Informers on the ServiceEntries (the version the server prefers), Services and ConfigMaps of every
 * namespace, feeding a {@link LiveClusterView}. Read-only: get, list and watch. The webhook is ready only when
 * {@link #hasSynced()} (every informer has listed once and the view has been indexed).
 */
public final class ClusterWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

    private final KubernetesClient client;
    private final LiveClusterView view;
    private final List<Watched> informers = new ArrayList<>();
    private volatile boolean indexed;

    public ClusterWatch(KubernetesClient client, LiveClusterView view) {
        this.client = client;
        this.view = view;
    }

    /** Starts the informers without waiting; {@link #hasSynced()} says when they are done. */
    public ClusterWatch start() {
        WatchedResource serviceEntries = new ClusterReader(client).serviceEntryVersion();
        List<WatchedResource> resources = new ArrayList<>(List.of(serviceEntries));
        resources.addAll(WatchedResource.VIEW_SUPPORT);
        for (WatchedResource resource : resources) {
            SharedIndexInformer<GenericKubernetesResource> informer =
                    client.genericKubernetesResources(resource.context()).inAnyNamespace().runnableInformer(0);
            informer.addEventHandler(new Handler(resource));
            informers.add(new Watched(resource, informer));
            informer.start().whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.warn("informer for {} did not start: {}", resource.kind(), error.getMessage());
                } else {
                    LOG.info("informer for {} {} synced", resource.apiVersion(), resource.kind());
                    indexWhenAllSynced();
                }
            });
        }
        return this;
    }

    public boolean hasSynced() {
        return indexed;
    }

    /**
     * Indexes the informers' caches once all have listed. The caches, not the add events: an informer says it
     * has synced when its list is stored, before its handlers have seen every object of that list.
     */
    private synchronized void indexWhenAllSynced() {
        if (!indexed && informers.stream().allMatch(watched -> watched.informer().hasSynced())) {
            for (Watched watched : informers) {
                watched.informer().getStore().list().forEach(object ->
                        view.upsert(ClusterReader.toKubeObject(client, object, watched.resource())));
            }
            view.rebuildNow();
            indexed = true;
            LOG.info("cluster view ready: {} objects", view.size());
        }
    }

    @Override
    public void close() {
        informers.forEach(watched -> watched.informer().stop());
    }

    private record Watched(WatchedResource resource, SharedIndexInformer<GenericKubernetesResource> informer) {
    }

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        private final WatchedResource resource;

        Handler(WatchedResource resource) {
            this.resource = resource;
        }

        @Override
        public void onAdd(GenericKubernetesResource object) {
            view.upsert(ClusterReader.toKubeObject(client, object, resource));
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObject, GenericKubernetesResource newObject) {
            view.upsert(ClusterReader.toKubeObject(client, newObject, resource));
        }

        @Override
        public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
            KubeObject gone = ClusterReader.toKubeObject(client, object, resource);
            view.remove(gone.ref());
        }
    }
}
