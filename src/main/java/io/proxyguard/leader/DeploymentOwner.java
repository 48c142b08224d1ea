package io.proxyguard.leader;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes the Deployment that runs the replicas ({@code --owner-deployment}, the chart's) the owner of what they
 * create themselves: the self-managed certificate Secret and the Leases of their elections. Helm did not create those, so {@code helm uninstall}
 * does not delete them; it deletes the Deployment, and Kubernetes' garbage collector then deletes every object
 * whose owners are all gone. The reference sets neither {@code controller} nor {@code blockOwnerDeletion} (which
 * would need the right to update the Deployment's finalizers): the Deployment does not manage them, it only
 * bounds their life. Without a Deployment name (serve run by hand), or while it cannot be read, nothing is owned
 * and the Secret and Leases stay until deleted by hand.
 */
public final class DeploymentOwner {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentOwner.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Optional<String> name;
    private volatile OwnerReference reference;
    private volatile boolean warned;

    public DeploymentOwner(KubernetesClient client, String namespace, Optional<String> name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** The owner reference to the Deployment, looked up once; empty without a name or while it cannot be read. */
    public Optional<OwnerReference> reference() {
        if (reference != null || name.isEmpty()) {
            return Optional.ofNullable(reference);
        }
        Deployment deployment;
        try {
            deployment = client.apps().deployments().inNamespace(namespace).withName(name.get()).get();
        } catch (KubernetesClientException e) {
            notOwned("cannot be read (" + e.getCode() + ")");
            return Optional.empty();
        }
        if (deployment == null) {
            notOwned("does not exist");
            return Optional.empty();
        }
        reference = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                .withName(deployment.getMetadata().getName()).withUid(deployment.getMetadata().getUid()).build();
        return Optional.of(reference);
    }

    private void notOwned(String why) {
        if (!warned) {
            warned = true;
            LOG.warn("Deployment {}/{} {}: what its pods create (Secret, Leases) is not owned by it, and stays after it is deleted "
                    + "(docs/deploy.md, Uninstall); trying again at each check", namespace, name.orElseThrow(), why);
        }
    }

    /** True when {@code object} already names this owner (by uid). */
    public boolean owns(HasMetadata object) {
        return reference().map(owner -> object.getMetadata().getOwnerReferences().stream()
                .anyMatch(existing -> owner.getUid().equals(existing.getUid()))).orElse(true);
    }

    /** {@code object}'s owner references with this owner added (unchanged when it is there already or unknown). */
    public List<OwnerReference> withOwner(List<OwnerReference> existing) {
        List<OwnerReference> references = new ArrayList<>(existing);
        reference().filter(owner -> existing.stream().noneMatch(e -> owner.getUid().equals(e.getUid()))).ifPresent(references::add);
        return references;
    }

    /**
     * Adds the owner reference to an object that exists without it (one made before, or by fabric8's LeaseLock).
     *
     * @return true when there is nothing left to do: the object names the owner now, or there is no owner to name;
     *         false when the object or the Deployment could not be found yet (worth trying again)
     */
    public <T extends HasMetadata> boolean adopt(Resource<T> resource, String what) {
        if (name.isEmpty()) {
            return true;
        }
        T object = resource.get();
        if (object == null || reference().isEmpty()) {
            return false;
        }
        if (owns(object)) {
            return true;
        }
        resource.edit(o -> {
            o.getMetadata().setOwnerReferences(withOwner(o.getMetadata().getOwnerReferences()));
            return o;
        });
        LOG.info("{} is now owned by Deployment {}/{}: deleted with it (helm uninstall)", what, namespace, name.orElseThrow());
        return true;
    }
}
