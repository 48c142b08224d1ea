package io.proxyguard.engine.view;

import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.proxy.ProxyDetector;
import io.proxyguard.engine.proxy.ProxyEndpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** A view built once from a set of objects (the offline validator's input files), indexed up front. */
public final class IndexedClusterView implements ClusterView {

    private final List<ServiceEntryFacts> proxyEntries;
    private final Set<ProxyEndpoint> workloadProxies;

    private IndexedClusterView(List<ServiceEntryFacts> proxyEntries, Set<ProxyEndpoint> workloadProxies) {
        this.proxyEntries = List.copyOf(proxyEntries);
        this.workloadProxies = Set.copyOf(workloadProxies);
    }

    /** Indexes {@code objects}; objects that cannot be read are left out of the view (they are reported on their own). */
    public static IndexedClusterView of(Collection<KubeObject> objects, ProxyDetector detector) {
        Set<ProxyEndpoint> workloadProxies = Set.of();
        List<ServiceEntryFacts> proxyEntries = new ArrayList<>();
        for (KubeObject object : objects) {
            if (!ServiceEntryFacts.isServiceEntry(object)) {
                continue;
            }
            try {
                ServiceEntryFacts entry = ServiceEntryFacts.read(object);
                if (detector.detect(entry, workloadProxies).isPresent()) {
                    proxyEntries.add(entry);
                }
            } catch (InvalidObjectException e) {
                // reported when the object itself is evaluated
            }
        }
        return new IndexedClusterView(proxyEntries, workloadProxies);
    }

    @Override
    public List<ServiceEntryFacts> proxyEntries() {
        return proxyEntries;
    }

    @Override
    public Set<ProxyEndpoint> workloadProxies() {
        return workloadProxies;
    }
}
