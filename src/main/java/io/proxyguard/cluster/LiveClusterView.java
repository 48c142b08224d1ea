package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.workload.ProxyUse;
import io.proxyguard.engine.workload.WorkloadSummary;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.proxy.ProxyDetector;
import io.proxyguard.engine.proxy.ProxyEndpoint;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import io.proxyguard.engine.view.ServicePortUse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The webhook's view of the cluster, fed by informers whose stores ({@link TrimmedItemStore}) keep each object
 * trimmed to what the rules read: that is the only copy of the cluster the process holds. Requests read an
 * immutable, fully indexed snapshot (never the API server, never a scan); changes mark it stale and a background
 * rebuild replaces it at most once per {@code debounce}, so a burst of events costs one rebuild and the request
 * path stays O(1). Before the first {@link #rebuildNow()} (the informers' first lists) nothing is rebuilt: that
 * first index takes in everything listed so far.
 */
public final class LiveClusterView implements ClusterView {

    private final List<TrimmedItemStore> stores = new CopyOnWriteArrayList<>();
    private final List<Runnable> rebuildListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService rebuilder;
    private final long debounceMillis;
    private final AtomicBoolean rebuildScheduled = new AtomicBoolean();
    private volatile boolean indexed;
    private volatile ProxyDetector detector;
    private volatile IndexedClusterView snapshot;

    public LiveClusterView(ProxyDetector detector, ScheduledExecutorService rebuilder, long debounceMillis) {
        this.detector = detector;
        this.rebuilder = rebuilder;
        this.debounceMillis = debounceMillis;
        this.snapshot = IndexedClusterView.of(List.of(), detector);
    }

    /** A store for the informer on {@code resource}: what it stores, trimmed, is in this view. */
    public ItemStore<GenericKubernetesResource> newStore(WatchedResource resource, KubernetesSerialization serialization) {
        TrimmedItemStore store = new TrimmedItemStore(resource, serialization, this::scheduleRebuild);
        stores.add(store);
        return store;
    }

    /** A new configuration changes which entries are proxy entries: re-index with its detector. */
    public void useDetector(ProxyDetector newDetector) {
        this.detector = newDetector;
        scheduleRebuild();
    }

    /**
     * Rebuilds now, on the caller's thread (start-up, once the informers have listed). One at a time: a rebuild that
     * started earlier, from older objects, must not finish last and replace a newer snapshot.
     */
    public synchronized void rebuildNow() {
        indexed = true; // first: a change arriving while this rebuild reads the stores schedules another
        List<KubeObject> objects = new ArrayList<>();
        stores.forEach(store -> objects.addAll(store.objects()));
        snapshot = IndexedClusterView.of(objects, detector);
        rebuildListeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} (quickly: it is on the rebuild thread) after each rebuild, i.e. after what the rules see has changed. */
    public void onRebuilt(Runnable listener) {
        rebuildListeners.add(listener);
    }

    /** How many objects the view keeps (controlled workloads are not kept). */
    public int size() {
        return stores.stream().mapToInt(TrimmedItemStore::size).sum();
    }

    private void scheduleRebuild() {
        if (indexed && rebuildScheduled.compareAndSet(false, true)) {
            rebuilder.schedule(() -> {
                rebuildScheduled.set(false);
                rebuildNow();
            }, debounceMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public List<ServiceEntryFacts> proxyEntries() {
        return snapshot.proxyEntries();
    }

    @Override
    public Set<Integer> proxyEntryPorts() {
        return snapshot.proxyEntryPorts();
    }

    @Override
    public boolean isProxyEntry(ResourceRef ref) {
        return snapshot.isProxyEntry(ref);
    }

    @Override
    public List<ServiceEntryFacts> proxyEntriesWithHost(String namespace, String host) {
        return snapshot.proxyEntriesWithHost(namespace, host);
    }

    @Override
    public List<ServiceEntryFacts> proxyEntriesWithHostAnywhere(String host) {
        return snapshot.proxyEntriesWithHostAnywhere(host);
    }

    @Override
    public List<ServiceEntryFacts> entriesOnPort(int port) {
        return snapshot.entriesOnPort(port);
    }

    @Override
    public List<ServicePortUse> servicesOnPort(int port) {
        return snapshot.servicesOnPort(port);
    }

    @Override
    public Set<ProxyEndpoint> workloadProxies() {
        return snapshot.workloadProxies();
    }

    @Override
    public List<ProxyUse> proxyUsesOnPort(int port) {
        return snapshot.proxyUsesOnPort(port);
    }

    @Override
    public MeshIndex mesh() {
        return snapshot.mesh();
    }

    @Override
    public List<WorkloadSummary> workloads() {
        return snapshot.workloads();
    }

    @Override
    public Optional<Map<String, String>> configMapData(String namespace, String name) {
        return snapshot.configMapData(namespace, name);
    }
}
