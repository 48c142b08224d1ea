package io.proxyguard.audit;

import io.proxyguard.leader.ElectionTimings;

import java.time.Duration;
import java.util.Optional;

/**
 * How the background audit runs.
 *
 * @param interval    time between two audits on the leader (a change in the cluster view brings the next one forward)
 * @param changeDelay how long after a change in the cluster view the audit runs: changes that come meanwhile are
 *                    judged by the same run, so a burst (a rollout, {@code kubectl apply -f dir/}) costs one audit
 * @param namespace   the namespace of the Lease
 * @param leaseName   the Lease the replicas elect the audit's leader with (not the certificates' one: the two
 *                    jobs have independent leaders)
 * @param identity    this replica's name in the Lease
 * @param election    leader election timings
 * @param ownerDeployment the Deployment that runs the audit, made owner of its Lease (deleted with it on uninstall);
 *                    empty: the Lease stays until deleted by hand
 */
public record AuditSettings(Duration interval, Duration changeDelay, String namespace, String leaseName, String identity,
                            ElectionTimings election, Optional<String> ownerDeployment) {

    public static final String DEFAULT_LEASE = "proxyguard-audit";
    public static final Duration DEFAULT_CHANGE_DELAY = Duration.ofSeconds(30);

    public AuditSettings {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the audit interval must be positive (0 turns the audit off)");
        }
        if (changeDelay.isNegative()) {
            throw new IllegalArgumentException("the audit's change delay must not be negative");
        }
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("the audit needs a namespace for its Lease ($POD_NAMESPACE or the kubeconfig's namespace)");
        }
    }
}
