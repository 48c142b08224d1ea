package io.proxyguard.engine.workload;

import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.mesh.PodMeta;

import java.util.List;

/**
 * A workload as the cluster view keeps it for rules about other objects: its name, what decides its sidecar and
 * scope ({@link PodMeta}), and each container's proxy environment. No pod spec, no JSON.
 */
public record WorkloadSummary(ResourceRef ref, PodMeta pod, List<ContainerEnv> containers) {

    public WorkloadSummary {
        containers = List.copyOf(containers);
    }

    public static WorkloadSummary of(WorkloadFacts workload) {
        return new WorkloadSummary(workload.object().ref(), workload.pod(), workload.containers());
    }
}
