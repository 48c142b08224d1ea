package io.proxyguard.engine.view;

import io.proxyguard.engine.mesh.DataPlane;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.mesh.PodMeta;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.workload.ProxyUse;
import io.proxyguard.engine.workload.WorkloadSummary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The proxy uses on a port grouped by what decides their {@link ProxyPath}: the pod's namespace, data plane, mesh
 * settings, Sidecar scope and capture annotations ({@link PodScope.Key}), and the proxy's IP. Every use of a group
 * takes the same path, so rules that ask "does some workload on this port see X through its sidecar" (PG109, PG110)
 * resolve one path per group instead of one per workload: a namespace of 1,000 Deployments behind one proxy is one
 * group. Only pods with a sidecar are kept: the others never take a path through one.
 *
 * <p>Built once per {@link ClusterView#workloads()} list and {@link MeshIndex}, like {@link WorkloadEgressIndex};
 * a port is grouped on its first question and kept for as long as the view hands out the same list of uses.
 */
public final class ProxyUseGroups {

    private static final LastBuilt<List<WorkloadSummary>, MeshIndex, ProxyUseGroups> LAST_BUILT = new LastBuilt<>();

    private final MeshIndex mesh;
    private final Map<PodMeta, PodScope> decided = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Grouped> byPort = new ConcurrentHashMap<>();

    /** Uses of one proxy IP by pods that see alike; {@link #pod()} stands for all of them. */
    public record UseGroup(PodMeta pod, ProxyUrl proxy, List<ProxyUse> uses) {
        public UseGroup {
            uses = List.copyOf(uses);
        }

        /** The path every use of the group takes to its proxy on {@code port}. */
        public ProxyPath path(ClusterView view, int port) {
            return ProxyPath.resolve(view, pod, proxy.ip().orElseThrow(), port);
        }
    }

    private record Grouped(List<ProxyUse> uses, List<UseGroup> groups) {
    }

    private record GroupKey(PodScope.Key scope, String ip) {
    }

    private ProxyUseGroups(List<WorkloadSummary> workloads, MeshIndex mesh) {
        this.mesh = mesh;
    }

    /** The groups of {@code workloads} under {@code mesh}, built once per pair (by identity). */
    public static ProxyUseGroups of(List<WorkloadSummary> workloads, MeshIndex mesh) {
        return LAST_BUILT.of(workloads, mesh, ProxyUseGroups::new);
    }

    /** {@code uses} (a view's uses on {@code port}) grouped; the same list asked again gets the same groups. */
    public List<UseGroup> onPort(int port, List<ProxyUse> uses) {
        Grouped known = byPort.get(port);
        if (known != null && known.uses() == uses) {
            return known.groups();
        }
        Grouped grouped = new Grouped(uses, group(uses));
        byPort.put(port, grouped);
        return grouped.groups();
    }

    private List<UseGroup> group(List<ProxyUse> uses) {
        Map<GroupKey, List<ProxyUse>> members = new LinkedHashMap<>();
        for (ProxyUse use : uses) {
            PodScope scope = decided.computeIfAbsent(use.workload().pod(), pod -> PodScope.decide(pod, mesh));
            if (scope.dataPlane() == DataPlane.SIDECAR) {
                GroupKey key = new GroupKey(scope.key(), Arrays.toString(use.url().ip().orElseThrow()));
                members.computeIfAbsent(key, k -> new ArrayList<>()).add(use);
            }
        }
        List<UseGroup> groups = new ArrayList<>(members.size());
        members.values().forEach(list -> groups.add(new UseGroup(list.get(0).workload().pod(), list.get(0).url(), list)));
        return List.copyOf(groups);
    }
}
