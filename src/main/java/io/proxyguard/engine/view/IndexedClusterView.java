package io.proxyguard.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.mesh.ExportTo;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.mesh.MeshSettings;
import io.proxyguard.engine.workload.ProxyUse;
import io.proxyguard.engine.workload.WorkloadSummary;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.proxy.ProxyDetector;
import io.proxyguard.engine.proxy.ProxyEndpoint;
import io.proxyguard.engine.workload.ProxyVariable;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable view indexed once from a set of objects: the offline validator's input files, or a snapshot of
 * the webhook's informer caches. Every question is a map lookup.
 */
public final class IndexedClusterView implements ClusterView {

    private final List<ServiceEntryFacts> proxyEntries;
    private final Set<EntryKey> proxyEntryKeys;
    private final Set<Integer> proxyEntryPorts;
    private final Map<String, List<ServiceEntryFacts>> proxyEntriesByNamespaceHost;
    private final Map<String, List<ServiceEntryFacts>> proxyEntriesByHost;
    private final Map<Integer, List<ServiceEntryFacts>> entriesByPort;
    private final Map<Integer, List<ServicePortUse>> servicesByPort;
    private final Set<ProxyEndpoint> workloadProxies;
    private final Map<String, Map<String, String>> configMaps;
    private final MeshIndex mesh;
    private final List<WorkloadSummary> workloads;
    private final Map<Integer, List<ProxyUse>> proxyUsesByPort;
    private final boolean filled;

    private IndexedClusterView(Builder builder, boolean filled) {
        this.filled = filled;
        this.proxyEntries = List.copyOf(builder.proxyEntries);
        this.proxyEntryKeys = builder.proxyEntries.stream().map(e -> key(e.ref())).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.proxyEntryPorts = builder.proxyEntries.stream().flatMap(e -> e.portNumbers().stream())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.proxyEntriesByNamespaceHost = freeze(builder.proxyEntriesByNamespaceHost);
        this.proxyEntriesByHost = freeze(builder.proxyEntriesByHost);
        this.entriesByPort = freeze(builder.entriesByPort);
        this.servicesByPort = freeze(builder.servicesByPort);
        this.workloadProxies = Set.copyOf(builder.workloadProxies);
        this.configMaps = Map.copyOf(builder.configMaps);
        this.mesh = builder.mesh;
        this.workloads = List.copyOf(builder.workloads);
        this.proxyUsesByPort = freeze(builder.proxyUsesByPort);
    }

    static IndexedClusterView empty() {
        return new IndexedClusterView(new Builder(MeshIndex.empty(MeshSettings.DEFAULTS)), false);
    }

    /** The view of a cluster not read yet: nothing in it, and {@link #isFilled()} false, under {@code detector}'s mesh settings. */
    public static IndexedClusterView unfilled(ProxyDetector detector) {
        return new IndexedClusterView(new Builder(MeshIndex.of(List.of(), detector.config().mesh())), false);
    }

    /**
     * Indexes {@code objects}. ConfigMaps first (workloads read their proxy settings through them), then
     * workloads (the proxies they use make matching ServiceEntries proxy entries), then ServiceEntries and
     * Services; Namespaces, Sidecars and the mesh ConfigMaps go to the {@link MeshIndex}. Objects that cannot be
     * read are left out (they are reported on their own).
     */
    public static IndexedClusterView of(Collection<KubeObject> objects, ProxyDetector detector) {
        Builder builder = new Builder(MeshIndex.of(objects, detector.config().mesh()));
        objects.stream().filter(o -> "ConfigMap".equals(o.kind()) && o.group().isEmpty()).forEach(builder::addConfigMap);
        IndexedClusterView configMapsOnly = new IndexedClusterView(builder, true);
        for (KubeObject object : objects) {
            if (WorkloadFacts.isWorkload(object)) {
                builder.addWorkload(object, WorkloadFacts.read(object, configMapsOnly));
            } else if ("Service".equals(object.kind()) && object.group().isEmpty()) {
                builder.addService(object);
            }
        }
        for (KubeObject object : objects) {
            if (ServiceEntryFacts.isServiceEntry(object)) {
                builder.addServiceEntry(object, detector);
            }
        }
        return new IndexedClusterView(builder, true);
    }

    @Override
    public boolean isFilled() {
        return filled;
    }

    @Override
    public List<ServiceEntryFacts> proxyEntries() {
        return proxyEntries;
    }

    @Override
    public Set<Integer> proxyEntryPorts() {
        return proxyEntryPorts;
    }

    @Override
    public boolean isProxyEntry(ResourceRef ref) {
        return proxyEntryKeys.contains(key(ref));
    }

    private static EntryKey key(ResourceRef ref) {
        return new EntryKey(ref.namespace(), ref.name());
    }

    /** A ServiceEntry's identity in the index; a record, so a lookup builds no string. */
    private record EntryKey(String namespace, String name) {
    }

    @Override
    public List<ServiceEntryFacts> proxyEntriesWithHost(String namespace, String host) {
        return proxyEntriesByNamespaceHost.getOrDefault(namespaceHost(namespace, host), List.of());
    }

    @Override
    public List<ServiceEntryFacts> proxyEntriesWithHostAnywhere(String host) {
        return proxyEntriesByHost.getOrDefault(host.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public List<ServiceEntryFacts> entriesOnPort(int port) {
        return entriesByPort.getOrDefault(port, List.of());
    }

    @Override
    public List<ServicePortUse> servicesOnPort(int port) {
        return servicesByPort.getOrDefault(port, List.of());
    }

    @Override
    public Set<ProxyEndpoint> workloadProxies() {
        return workloadProxies;
    }

    @Override
    public List<ProxyUse> proxyUsesOnPort(int port) {
        return proxyUsesByPort.getOrDefault(port, List.of());
    }

    @Override
    public MeshIndex mesh() {
        return mesh;
    }

    @Override
    public List<WorkloadSummary> workloads() {
        return workloads;
    }

    @Override
    public Optional<Map<String, String>> configMapData(String namespace, String name) {
        return Optional.ofNullable(configMaps.get(namespace + "/" + name));
    }

    private static String namespaceHost(String namespace, String host) {
        return namespace + "/" + host.toLowerCase(Locale.ROOT);
    }

    private static <K, V> Map<K, List<V>> freeze(Map<K, List<V>> map) {
        Map<K, List<V>> frozen = new HashMap<>();
        map.forEach((key, values) -> frozen.put(key, List.copyOf(values)));
        return Map.copyOf(frozen);
    }

    private static final class Builder {
        private final MeshIndex mesh;
        private final List<WorkloadSummary> workloads = new ArrayList<>();
        private final Map<Integer, List<ProxyUse>> proxyUsesByPort = new HashMap<>();
        private final List<ServiceEntryFacts> proxyEntries = new ArrayList<>();
        private final Map<String, List<ServiceEntryFacts>> proxyEntriesByNamespaceHost = new HashMap<>();
        private final Map<String, List<ServiceEntryFacts>> proxyEntriesByHost = new HashMap<>();
        private final Map<Integer, List<ServiceEntryFacts>> entriesByPort = new HashMap<>();
        private final Map<Integer, List<ServicePortUse>> servicesByPort = new HashMap<>();
        private final Set<ProxyEndpoint> workloadProxies = new HashSet<>();
        private final Map<String, Map<String, String>> configMaps = new HashMap<>();

        Builder(MeshIndex mesh) {
            this.mesh = mesh;
        }

        void addConfigMap(KubeObject object) {
            Map<String, String> data = new TreeMap<>();
            object.json().path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            configMaps.put(object.ref().namespace() + "/" + object.ref().name(), Map.copyOf(data));
        }

        void addWorkload(KubeObject object, WorkloadFacts workload) {
            if (!WorkloadFacts.isControlled(object)) {
                WorkloadSummary summary = WorkloadSummary.of(workload);
                workloads.add(summary);
                Set<String> seen = new HashSet<>();
                for (ProxyVariable variable : workload.proxyVariables()) {
                    variable.url().filter(url -> url.ip().isPresent() && seen.add(url.endpoint())).ifPresent(url ->
                            proxyUsesByPort.computeIfAbsent(url.port(), p -> new ArrayList<>()).add(new ProxyUse(summary, url)));
                }
            }
            for (ProxyVariable variable : workload.proxyVariables()) {
                variable.url().filter(url -> url.ip().isPresent())
                        .ifPresent(url -> workloadProxies.add(new ProxyEndpoint(url.host(), url.port())));
            }
        }

        void addService(KubeObject service) {
            JsonNode ports = service.json().path("spec").path("ports");
            ExportTo exportTo = ExportTo.ofAnnotation(service.annotation(ExportTo.ANNOTATION));
            for (JsonNode port : ports) {
                int number = port.path("port").asInt(0);
                String name = port.path("name").asText("");
                String protocol = PortProtocol.ofKubernetesServicePort(port.path("appProtocol").asText(""), name);
                servicesByPort.computeIfAbsent(number, n -> new ArrayList<>())
                        .add(new ServicePortUse(service.ref(), number, name, protocol, exportTo));
            }
        }

        void addServiceEntry(KubeObject object, ProxyDetector detector) {
            ServiceEntryFacts entry;
            try {
                entry = ServiceEntryFacts.read(object);
            } catch (InvalidObjectException e) {
                return;
            }
            new HashSet<>(entry.portNumbers()).forEach(port -> entriesByPort.computeIfAbsent(port, p -> new ArrayList<>()).add(entry));
            if (detector.detect(entry, workloadProxies).isPresent()) {
                proxyEntries.add(entry);
                for (String host : new HashSet<>(entry.hosts())) {
                    proxyEntriesByNamespaceHost.computeIfAbsent(namespaceHost(entry.ref().namespace(), host), k -> new ArrayList<>()).add(entry);
                    proxyEntriesByHost.computeIfAbsent(host.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(entry);
                }
            }
        }
    }
}
