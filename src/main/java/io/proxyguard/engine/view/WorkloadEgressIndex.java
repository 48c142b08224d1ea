package io.proxyguard.engine.view;

import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.mesh.DataPlane;
import io.proxyguard.engine.mesh.ExportTo;
import io.proxyguard.engine.mesh.Interception;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.mesh.MeshSettings;
import io.proxyguard.engine.mesh.PodMeta;
import io.proxyguard.engine.mesh.SidecarScope;
import io.proxyguard.engine.mesh.Visibility;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.workload.WorkloadEnv;
import io.proxyguard.engine.workload.WorkloadSummary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The workloads in view grouped for one question, asked for every external ServiceEntry (PG107): which workloads
 * can see this entry on this port, and where do their HTTP clients send its hosts. Workloads of a namespace that
 * share a data plane, mesh settings, Sidecar resource and capture annotations see the same entries (one
 * {@link ScopeGroup}); within a group, workloads with the same proxy environment route the same way (one
 * {@link EnvGroup}, whose environment is one shared instance for all equal ones, so that a question can route each
 * distinct environment once). A question costs one visibility check per scope group of the namespaces the entry is
 * exported to, never a walk over every workload.
 *
 * <p>Pods without a sidecar and outside ambient mode are left out: no ServiceEntry changes anything for them.
 * Ambient pods see what is exported to their namespace (ztunnel ignores Sidecar resources).
 */
public final class WorkloadEgressIndex {

    /** The address taken for a destination known only by name (DNS): inside no capture range but {@code *} and 0.0.0.0/0. */
    private static final byte[] UNKNOWN_DESTINATION = {0, 0, 0, 0};

    private static final LastBuilt<List<WorkloadSummary>, MeshIndex, WorkloadEgressIndex> LAST_BUILT = new LastBuilt<>();

    private final List<WorkloadSummary> workloads;
    private final Map<String, List<ScopeGroup>> groupsByNamespace;

    /**
     * Workloads that see the same entries: a representative pod and what was decided for it. {@code capture} holds the
     * capture annotations of a sidecar's pod; none (and for ambient pods, always none) means everything is captured.
     */
    private record ScopeGroup(PodMeta pod, SidecarScope scope, MeshSettings settings, Map<String, String> capture,
                              List<EnvGroup> envs) {
    }

    /** Workloads of one scope group with one proxy environment, by name. */
    public record EnvGroup(WorkloadEnv env, List<ResourceRef> workloads) {
        public EnvGroup {
            workloads = List.copyOf(workloads);
        }
    }

    private WorkloadEgressIndex(List<WorkloadSummary> workloads, MeshIndex mesh) {
        this.workloads = workloads;
        Map<String, Map<PodScope.Key, Builder>> builders = new TreeMap<>();
        Map<WorkloadEnv, WorkloadEnv> canonical = new HashMap<>();
        for (WorkloadSummary workload : workloads) {
            PodScope decided = PodScope.decide(workload.pod(), mesh);
            if (decided.dataPlane() == DataPlane.NONE) {
                continue;
            }
            builders.computeIfAbsent(decided.pod().namespace(), ns -> new LinkedHashMap<>())
                    .computeIfAbsent(decided.key(), k -> new Builder(decided))
                    .add(workload.ref(), canonical.computeIfAbsent(WorkloadEnv.of(workload.containers()), env -> env));
        }
        Map<String, List<ScopeGroup>> groups = new TreeMap<>();
        builders.forEach((namespace, byKey) -> groups.put(namespace, byKey.values().stream().map(Builder::build).toList()));
        this.groupsByNamespace = Collections.unmodifiableMap(groups);
    }

    /**
     * The index of {@code workloads} under {@code mesh}. Built once per pair: a view that keeps both in an immutable
     * snapshot (IndexedClusterView, and LiveClusterView through its snapshot) gets the index of its last snapshot
     * back on every call, by identity, without a field of its own.
     */
    public static WorkloadEgressIndex of(List<WorkloadSummary> workloads, MeshIndex mesh) {
        return LAST_BUILT.of(workloads, mesh, WorkloadEgressIndex::new);
    }

    /** True when the view holds no workload at all: nothing is known about what workloads do. */
    public boolean knowsNoWorkloads() {
        return workloads.isEmpty();
    }

    /**
     * The workloads whose proxies see {@code entry} on {@code port}: exported to their namespace, imported by their
     * Sidecar resource for that port, and (for sidecars) captured on that port and the entry's first address.
     */
    public Audience audience(ServiceEntryFacts entry, int port) {
        if (groupsByNamespace.isEmpty()) {
            return Audience.NOBODY;
        }
        byte[] destination = entry.ipBlocks().isEmpty() ? UNKNOWN_DESTINATION : entry.ipBlocks().get(0).block().address();
        List<EnvGroup> seeing = new ArrayList<>();
        for (String namespace : namespacesExportedTo(entry)) {
            for (ScopeGroup group : groupsByNamespace.getOrDefault(namespace, List.of())) {
                boolean sees = Visibility.hiddenReason(entry, group.scope(), group.settings(), port).isEmpty()
                        && (group.capture().isEmpty() || Interception.exclusion(group.pod(), destination, port).isEmpty());
                if (sees) {
                    seeing.addAll(group.envs());
                }
            }
        }
        return new Audience(seeing);
    }

    /**
     * The namespaces worth asking about: those the entry's own exportTo names, or every namespace with workloads
     * when it exports to {@code *} or leaves it to the mesh's default (Visibility then decides per group).
     */
    private Iterable<String> namespacesExportedTo(ServiceEntryFacts entry) {
        ExportTo own = ExportTo.of(entry.spec().getExportTo());
        if (own.isEmpty() || own.values().contains("*")) {
            return groupsByNamespace.keySet();
        }
        return own.values().stream().filter(v -> !v.equals("~")).map(v -> v.equals(".") ? entry.ref().namespace() : v).distinct().toList();
    }

    private static final class Builder {
        private final PodScope decided;
        private final Map<WorkloadEnv, List<ResourceRef>> byEnv = new LinkedHashMap<>();

        Builder(PodScope decided) {
            this.decided = decided;
        }

        void add(ResourceRef workload, WorkloadEnv env) {
            byEnv.computeIfAbsent(env, e -> new ArrayList<>()).add(workload);
        }

        ScopeGroup build() {
            List<EnvGroup> envs = new ArrayList<>();
            byEnv.forEach((env, refs) -> envs.add(new EnvGroup(env,
                    refs.stream().sorted(Comparator.comparing(ResourceRef::name).thenComparing(ResourceRef::kind)).toList())));
            return new ScopeGroup(decided.pod(), decided.scope(), decided.settings(), decided.capture(), envs);
        }
    }
}
