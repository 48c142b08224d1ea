package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.mesh.MeshProblem;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.workload.ProxyUse;
import io.proxyguard.engine.workload.WorkloadSummary;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.proxy.ProxyDetector;
import io.proxyguard.engine.proxy.ProxyEndpoint;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import io.proxyguard.engine.view.ServicePortUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The webhook's view of the cluster, fed by informers whose stores ({@link TrimmedItemStore}) keep each object
 * trimmed to what the rules read: that is the only copy of the cluster the process holds. Requests read an
 * immutable, fully indexed snapshot (never the API server, never a scan); changes mark it stale and a background
 * rebuild replaces it at most once per {@code debounce}, so a burst of events costs one rebuild and the request
 * path stays O(1). Before the first {@link #rebuildNow()} (the informers' first lists) nothing is rebuilt: that
 * first index takes in everything listed so far.
 */
public final class LiveClusterView implements ClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(LiveClusterView.class);

    /** Reads of a ConfigMap that may lose a race with the informer before one sticks. */
    private static final int REFETCH_ATTEMPTS = 3;

    private final List<TrimmedItemStore> stores = new CopyOnWriteArrayList<>();
    private final ConfigMapKeys configMapKeys = new ConfigMapKeys();
    private volatile BiFunction<String, String, Optional<GenericKubernetesResource>> configMapSource = (namespace, name) -> Optional.empty();
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
        this.snapshot = IndexedClusterView.unfilled(detector);
    }

    /** A store for the informer on {@code resource}: what it stores, trimmed, is in this view. */
    public ItemStore<GenericKubernetesResource> newStore(WatchedResource resource, KubernetesSerialization serialization) {
        TrimmedItemStore store = new TrimmedItemStore(resource, serialization, configMapKeys, this::scheduleRebuild,
                this::refetchLater);
        stores.add(store);
        return store;
    }

    /**
     * Where a ConfigMap is read again when a workload starts reading one of its keys that the view dropped (the
     * API server, for {@link ClusterWatch}); without one, the key stays unknown until the ConfigMap changes.
     */
    void readConfigMapsFrom(BiFunction<String, String, Optional<GenericKubernetesResource>> source) {
        this.configMapSource = source;
    }

    private void refetchLater(ConfigMapKeys.KeyRef keyRef) {
        try {
            rebuilder.execute(() -> refetch(keyRef));
        } catch (RejectedExecutionException stopping) {
            // the view is closing: nothing reads it any more
        }
    }

    /**
     * Reads the ConfigMap of {@code keyRef} again when the view keeps it without that key, now that the key is kept:
     * one GET, only for a key no workload read before. If the informer stores the ConfigMap meanwhile, what it stores
     * was trimmed knowing the key, unless its trim began before: then the kept form is checked and read again.
     */
    private void refetch(ConfigMapKeys.KeyRef keyRef) {
        Optional<TrimmedItemStore> configMaps = stores.stream().filter(s -> s.resource() == WatchedResource.CONFIG_MAP).findFirst();
        String key = keyRef.namespace() + "/" + keyRef.name();
        for (int attempt = 0; attempt < REFETCH_ATTEMPTS && configMaps.isPresent(); attempt++) {
            Optional<KubeObject> kept = configMaps.get().kept(key);
            if (kept.isEmpty() || kept.get().json().path("data").has(keyRef.key())) {
                return; // not listed yet (it will be trimmed knowing the key), or already has it
            }
            try {
                Optional<GenericKubernetesResource> fetched = configMapSource.apply(keyRef.namespace(), keyRef.name());
                if (fetched.isEmpty() || configMaps.get().replace(key, kept.get(), fetched.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("could not read ConfigMap {} again for key {} that a workload reads into a proxy variable (it stays unknown "
                        + "until the ConfigMap changes): {}", key, keyRef.key(), e.getMessage());
                return;
            }
        }
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
        IndexedClusterView previous = snapshot;
        snapshot = IndexedClusterView.of(objects, detector);
        logNewMeshProblems(previous.mesh().problems(), snapshot.mesh().problems());
        rebuildListeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} (quickly: it is on the rebuild thread) after each rebuild, i.e. after what the rules see has changed. */
    public void onRebuilt(Runnable listener) {
        rebuildListeners.add(listener);
    }

    /** A mesh ConfigMap setting that cannot be read is said once, when it appears, not on every rebuild. */
    private static void logNewMeshProblems(List<MeshProblem> before, List<MeshProblem> now) {
        now.stream().filter(problem -> !before.contains(problem))
                .forEach(problem -> LOG.warn("mesh config: {}", problem.message()));
    }

    /**
     * The ServiceEntries the view keeps, as the informer delivered them less noise (spec and the metadata rules read
     * whole: {@link ObjectTrimmer}): what the background audit judges them in, instead of listing them again.
     */
    public List<KubeObject> serviceEntries() {
        return stores.stream().filter(store -> WatchedResource.SERVICE_ENTRY_VERSIONS.contains(store.resource()))
                .flatMap(store -> store.objects().stream()).toList();
    }

    /** The objects the store of {@code resource} keeps, trimmed (tests, and what a reader of this class wants to see). */
    Collection<KubeObject> kept(WatchedResource resource) {
        return stores.stream().filter(store -> store.resource() == resource).flatMap(store -> store.objects().stream()).toList();
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
    public boolean isFilled() {
        return snapshot.isFilled();
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
