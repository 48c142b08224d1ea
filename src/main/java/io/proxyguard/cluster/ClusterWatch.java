package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.proxyguard.probe.ProbeDurations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Informers on everything the rules read beside the object under review, in every namespace, feeding a
 * {@link LiveClusterView}: ServiceEntries and Sidecars (each in the version the server prefers; no Sidecar
 * informer when the cluster serves no Sidecar version), Services, ConfigMaps (proxy settings, mesh config),
 * Namespaces (labels), and the workload kinds (the proxies they use, who sees what). Read-only: get, list and
 * watch. Objects are trimmed as they arrive ({@link TrimmedItemStore}) and listed in pages of
 * {@value #LIST_PAGE_SIZE} ({@value #CONFIG_MAP_PAGE_SIZE} ConfigMaps). The view is indexed once every informer has
 * listed ({@link #hasSynced()}); the webhook is ready then, or, degraded, once the sync wait is over
 * ({@link #isReady()}): it then answers with the stateless rules only, the view being empty until it is indexed.
 */
public final class ClusterWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

    /** Objects per page of an informer's list, as Kubernetes' own reflectors ask for. */
    static final long LIST_PAGE_SIZE = ClusterReader.PAGE_SIZE;

    /**
     * ConfigMaps per page: a ConfigMap may hold up to 1 MiB (Grafana dashboards hold hundreds of KB), and a page is
     * held whole, as received, until its objects are trimmed; 5 of 500 KB are 2.5 MB.
     */
    static final long CONFIG_MAP_PAGE_SIZE = 5;

    /** How long the webhook waits for the first lists before it answers with the stateless rules only. */
    public static final Duration DEFAULT_SYNC_WAIT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final LiveClusterView view;
    private final Duration syncWait;
    private final Map<WatchedResource, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
    private volatile List<WatchedResource> resources = List.of();
    private volatile boolean indexed;
    private volatile boolean waitOver;

    public ClusterWatch(KubernetesClient client, LiveClusterView view) {
        this(client, view, DEFAULT_SYNC_WAIT);
    }

    /** A watch that turns ready, degraded, once {@code syncWait} has passed since its start without the view. */
    public ClusterWatch(KubernetesClient client, LiveClusterView view, Duration syncWait) {
        this.client = client;
        this.view = view;
        this.syncWait = syncWait;
    }

    /**
     * Starts the informers without waiting; {@link #hasSynced()} says when they are done. ConfigMaps are listed once
     * the workloads have been: the keys workloads read from them are then known, and kept as the ConfigMaps arrive.
     */
    public ClusterWatch start() {
        List<WatchedResource> watched = watchedResources();
        // all created before any starts: one that syncs early must not find the list still growing
        for (WatchedResource resource : watched) {
            long pageSize = resource == WatchedResource.CONFIG_MAP ? CONFIG_MAP_PAGE_SIZE : LIST_PAGE_SIZE;
            SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(resource.context())
                    .inAnyNamespace().withLimit(pageSize).runnableInformer(0);
            informer.removeNamespaceIndex(); // nothing looks objects up by namespace in the informer
            informer.itemStore(view.newStore(resource, client.getKubernetesSerialization()));
            informers.put(resource, informer);
        }
        resources = List.copyOf(watched);
        view.readConfigMapsFrom((namespace, name) -> Optional.ofNullable(
                client.genericKubernetesResources(WatchedResource.CONFIG_MAP.context()).inNamespace(namespace).withName(name).get()));
        List<CompletableFuture<Void>> workloadsListed = new ArrayList<>();
        for (WatchedResource resource : watched) {
            if (resource != WatchedResource.CONFIG_MAP) {
                CompletableFuture<Void> listed = start(resource);
                if (WatchedResource.WORKLOADS.contains(resource)) {
                    workloadsListed.add(listed);
                }
            }
        }
        CompletableFuture.allOf(workloadsListed.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> start(WatchedResource.CONFIG_MAP)); // after a failure too: the others still serve
        CompletableFuture.delayedExecutor(syncWait.toMillis(), TimeUnit.MILLISECONDS).execute(this::endWait);
        return this;
    }

    private CompletableFuture<Void> start(WatchedResource resource) {
        return informers.get(resource).start().toCompletableFuture().whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("informer for {} {} did not start, so the cluster view stays empty (does its service account have "
                        + "get, list and watch on {}?): {}", resource.apiVersion(), resource.kind(), resource.plural(), error.getMessage());
            } else {
                LOG.info("informer for {} {} synced", resource.apiVersion(), resource.kind());
                indexWhenAllSynced();
            }
        });
    }

    private List<WatchedResource> watchedResources() {
        ClusterReader reader = new ClusterReader(client);
        List<WatchedResource> watched = new ArrayList<>(List.of(reader.serviceEntryVersion()));
        reader.sidecarVersion().ifPresentOrElse(watched::add, () -> LOG.warn(
                "the cluster serves no networking.istio.io Sidecar version: no Sidecar resource applies to any pod (restart to pick up a CRD installed later)"));
        watched.addAll(WatchedResource.VIEW_SUPPORT);
        watched.add(WatchedResource.NAMESPACE);
        watched.addAll(WatchedResource.WORKLOADS);
        return watched;
    }

    /** True once every informer has listed and the view is indexed: every rule sees the cluster. */
    public boolean hasSynced() {
        return indexed;
    }

    /**
     * True once the view is indexed, or once the wait for it is over: then the webhook answers with the stateless
     * rules only (the view is empty until it is indexed) rather than not at all.
     */
    public boolean isReady() {
        return indexed || waitOver;
    }

    /** What {@code /readyz} says beside ok: nothing once synced, else which resources are not listed yet. */
    public String readinessDetail() {
        if (indexed) {
            return "";
        }
        return (waitOver ? "degraded, stateless rules only until listed: " : "waiting for the first list of: ") + String.join(", ", unsynced());
    }

    /** Whether the informer on each watched resource has listed, by resource name ({@code configmaps}, ...). */
    public Map<String, Boolean> syncedByResource() {
        Map<String, Boolean> synced = new LinkedHashMap<>();
        for (WatchedResource resource : resources) {
            synced.put(resource.plural(), informers.get(resource).hasSynced());
        }
        return synced;
    }

    private List<String> unsynced() {
        return syncedByResource().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    }

    private synchronized void endWait() {
        if (!indexed) {
            waitOver = true;
            LOG.warn("cluster view not listed after {} (still listing: {}): ready with the stateless rules only; rules that read "
                            + "other objects see an empty cluster until every list is done", ProbeDurations.format(syncWait),
                    String.join(", ", unsynced()));
        }
    }

    /** Indexes the view once every informer has listed (their stores are the view's objects). */
    private synchronized void indexWhenAllSynced() {
        if (!indexed && informers.size() == resources.size() && informers.values().stream().allMatch(SharedIndexInformer::hasSynced)) {
            view.rebuildNow();
            indexed = true;
            LOG.info("cluster view ready{}: {} objects kept", waitOver ? " (no longer degraded)" : "", view.size());
        }
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::stop);
    }
}
