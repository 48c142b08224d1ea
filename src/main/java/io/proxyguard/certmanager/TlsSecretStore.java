package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.proxyguard.leader.DeploymentOwner;

import java.util.List;
import java.util.Optional;

/**
 * The one Secret that holds the self-managed certificates. Writes are optimistic: a new Secret is created
 * (failing with 409 if another writer created it first) and an existing one is replaced only at the
 * resourceVersion it was read at, so two writers can never silently overwrite each other. Every write names the
 * {@link DeploymentOwner}, so the Secret goes when the Deployment does.
 */
final class TlsSecretStore {

    static final String TYPE = "kubernetes.io/tls";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final DeploymentOwner owner;

    TlsSecretStore(KubernetesClient client, String namespace, String name, DeploymentOwner owner) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.owner = owner;
    }

    String describe() {
        return "Secret " + namespace + "/" + name;
    }

    Optional<Secret> read() {
        return Optional.ofNullable(secret().get());
    }

    /**
     * Writes {@code set}: creates the Secret when {@code readAt} is empty, else replaces the one read at that
     * resourceVersion. Returns the resourceVersion written, for the next write of the same pass.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException 409 when someone else wrote first
     */
    String write(CertificateSet set, Optional<String> readAt) {
        Secret secret = new SecretBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).withResourceVersion(readAt.orElse(null))
                .addToLabels(MANAGED_BY, "proxyguard").withOwnerReferences(owner.withOwner(List.of())).endMetadata()
                .withType(TYPE)
                .withData(set.toSecretData())
                .build();
        Secret written = readAt.isEmpty()
                ? client.secrets().inNamespace(namespace).resource(secret).create()
                : client.secrets().inNamespace(namespace).resource(secret).update();
        return written.getMetadata().getResourceVersion();
    }

    /** Names the owner on a Secret written before it was known (an older ProxyGuard, or a Deployment not yet readable). */
    void adopt() {
        owner.adopt(secret(), describe());
    }

    private Resource<Secret> secret() {
        return client.secrets().inNamespace(namespace).withName(name);
    }
}
