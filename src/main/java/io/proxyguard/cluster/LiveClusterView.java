package io.proxyguard.cluster;

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

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The webhook's view of the cluster, fed by informers. Requests read an immutable, fully indexed snapshot
 * (never the API server, never a scan); changes mark it stale and a background rebuild replaces it at most
 * once per {@code debounce}, so a burst of events costs one rebuild and the request path stays O(1).
 */
public final class LiveClusterView implements ClusterView {

    private final Map<String, KubeObject> objects = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rebuilder;
    private final long debounceMillis;
    private final AtomicBoolean rebuildScheduled = new AtomicBoolean();
    private volatile ProxyDetector detector;
    private volatile IndexedClusterView snapshot;

    public LiveClusterView(ProxyDetector detector, ScheduledExecutorService rebuilder, long debounceMillis) {
        this.detector = detector;
        this.rebuilder = rebuilder;
        this.debounceMillis = debounceMillis;
        this.snapshot = IndexedClusterView.of(List.of(), detector);
    }

    public void upsert(KubeObject object) {
        objects.put(key(object.ref()), object);
        scheduleRebuild();
    }

    public void remove(ResourceRef ref) {
        objects.remove(key(ref));
        scheduleRebuild();
    }

    /** A new configuration changes which entries are proxy entries: re-index with its detector. */
    public void useDetector(ProxyDetector newDetector) {
        this.detector = newDetector;
        scheduleRebuild();
    }

    /** Rebuilds now, on the caller's thread (start-up, once the caches have synced). */
    public void rebuildNow() {
        snapshot = IndexedClusterView.of(List.copyOf(objects.values()), detector);
    }

    public int size() {
        return objects.size();
    }

    private void scheduleRebuild() {
        if (rebuildScheduled.compareAndSet(false, true)) {
            rebuilder.schedule(() -> {
                rebuildScheduled.set(false);
                rebuildNow();
            }, debounceMillis, TimeUnit.MILLISECONDS);
        }
    }

    private static String key(ResourceRef ref) {
        return ref.kind() + "/" + ref.namespace() + "/" + ref.name();
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
