package io.proxyguard.engine;

import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.List;

/** A rule on workloads: Pods and the pod templates of controllers. It returns what it finds, never throws. */
public interface WorkloadRule extends Rule {

    List<Violation> check(WorkloadFacts workload, RuleContext context);
}
