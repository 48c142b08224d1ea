package io.proxyguard.engine.view;

import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.proxy.ProxyEndpoint;
import io.proxyguard.engine.workload.ProxyUse;
import io.proxyguard.engine.workload.WorkloadSummary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What else exists beside the object being judged: the cluster's objects in the webhook (an informer
 * cache), the other input documents in the offline validator. Implementations answer from indexes built in
 * advance, never by scanning everything or by calling an API server.
 */
public interface ClusterView {

    ClusterView EMPTY = IndexedClusterView.empty();

    /** The proxy entries in view. */
    List<ServiceEntryFacts> proxyEntries();

    /** Some proxy entry in view other than {@code self} (the object being judged may be in view already). */
    default Optional<ServiceEntryFacts> anyProxyEntryOtherThan(ResourceRef self) {
        for (ServiceEntryFacts entry : proxyEntries()) {
            if (!sameObject(entry.ref(), self)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** Every port number a proxy entry in view declares (implementations answer from an index). */
    default Set<Integer> proxyEntryPorts() {
        Set<Integer> ports = new HashSet<>();
        proxyEntries().forEach(entry -> ports.addAll(entry.portNumbers()));
        return ports;
    }

    /** True when the entry named {@code ref} is a proxy entry in view. */
    boolean isProxyEntry(ResourceRef ref);

    /** Proxy entries in {@code namespace} with {@code host} among their hosts. */
    List<ServiceEntryFacts> proxyEntriesWithHost(String namespace, String host);

    /** Proxy entries of any namespace with {@code host} among their hosts. */
    List<ServiceEntryFacts> proxyEntriesWithHostAnywhere(String host);

    /** Every ServiceEntry in view, proxy entry or not, with a port numbered {@code port}. */
    List<ServiceEntryFacts> entriesOnPort(int port);

    /** ServiceEntries in view whose addresses contain {@code ip} and that have a port numbered {@code port}. */
    default List<ServiceEntryFacts> entriesCovering(byte[] ip, int port) {
        // plain loops: this runs for every proxy variable of every workload, over every entry on the port
        List<ServiceEntryFacts> covering = new ArrayList<>(0);
        for (ServiceEntryFacts entry : entriesOnPort(port)) {
            for (ServiceEntryFacts.IndexedBlock block : entry.ipBlocks()) {
                if (block.block().contains(ip)) {
                    covering.add(entry);
                    break;
                }
            }
        }
        return covering;
    }

    /** Every Kubernetes Service port in view numbered {@code port}. */
    List<ServicePortUse> servicesOnPort(int port);

    /** The proxies that workloads in view use through {@code HTTPS_PROXY}/{@code HTTP_PROXY}/{@code ALL_PROXY}. */
    Set<ProxyEndpoint> workloadProxies();

    /** Namespaces, Sidecar resources and mesh settings: what decides each pod's sidecar and what it sees. */
    MeshIndex mesh();

    /** Every workload in view that is not controlled by another (a Deployment, not its ReplicaSet or Pods). */
    List<WorkloadSummary> workloads();

    /**
     * The workloads in view grouped by what they see and how they reach external hosts (PG107's evidence). The
     * index is built once per {@link #workloads()} list and {@link #mesh()} index, so a view must hand out the same
     * instances while its content is unchanged (both views do: their snapshot's).
     */
    default WorkloadEgressIndex workloadEgress() {
        return WorkloadEgressIndex.of(workloads(), mesh());
    }

    /** The workloads in view whose proxy variables point at an IP on {@code port}, one use per workload and proxy. */
    List<ProxyUse> proxyUsesOnPort(int port);

    /**
     * {@link #proxyUsesOnPort(int)} of pods with a sidecar, grouped so that every use of a group takes the same
     * path to its proxy: ask a group's path once instead of every workload's.
     */
    default List<ProxyUseGroups.UseGroup> proxyUseGroupsOnPort(int port) {
        return ProxyUseGroups.of(workloads(), mesh()).onPort(port, proxyUsesOnPort(port));
    }

    /** A ConfigMap's {@code data}, when the view holds it. */
    Optional<Map<String, String>> configMapData(String namespace, String name);

    static boolean sameObject(ResourceRef a, ResourceRef b) {
        return a.kind().equals(b.kind()) && a.namespace().equals(b.namespace()) && a.name().equals(b.name());
    }
}
