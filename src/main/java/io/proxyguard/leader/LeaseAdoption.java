package io.proxyguard.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An election's Lease made owned by the replicas' Deployment ({@link DeploymentOwner}), so that uninstalling deletes
 * it. fabric8's LeaseLock creates the Lease without an owner, so its leader adds the Deployment, at each of its checks
 * until it holds: the edit can meet the elector's own renewal (a conflict), or the Deployment be unreadable for a while.
 */
public final class LeaseAdoption {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseAdoption.class);

    private final Resource<Lease> lease;
    private final DeploymentOwner owner;
    private final String name;
    private volatile boolean done;
    private volatile boolean warned;

    public LeaseAdoption(KubernetesClient client, DeploymentOwner owner, String namespace, String leaseName) {
        this.lease = client.leases().inNamespace(namespace).withName(leaseName);
        this.owner = owner;
        this.name = namespace + "/" + leaseName;
    }

    /** On the leader, at each of its checks: one more try, unless the Lease is owned already (or there is no owner). */
    public void check() {
        if (done) {
            return;
        }
        try {
            done = owner.adopt(lease, "Lease " + name);
        } catch (KubernetesClientException e) {
            if (!warned) {
                warned = true;
                LOG.warn("could not make the Deployment the owner of Lease {} yet ({}): trying again at each check", name, e.getMessage());
            }
        }
    }

    /** Leading again: the Lease may have been made anew (deleted, recreated by the elector) while another replica led. */
    public void restart() {
        done = false;
    }
}
