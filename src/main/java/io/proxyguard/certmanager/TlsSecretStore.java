package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

import java.util.Optional;

/**
 * The one Secret that holds the self-managed certificates. Writes are optimistic: a new Secret is created
 * (failing with 409 if another writer created it first) and an existing one is replaced only at the
 * resourceVersion it was read at, so two writers can never silently overwrite each other.
 */
final class TlsSecretStore {

    static final String TYPE = "kubernetes.io/tls";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    TlsSecretStore(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
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
                .addToLabels(MANAGED_BY, "proxyguard").endMetadata()
                .withType(TYPE)
                .withData(set.toSecretData())
                .build();
        Secret written = readAt.isEmpty()
                ? client.secrets().inNamespace(namespace).resource(secret).create()
                : client.secrets().inNamespace(namespace).resource(secret).update();
        return written.getMetadata().getResourceVersion();
    }

    private Resource<Secret> secret() {
        return client.secrets().inNamespace(namespace).withName(name);
    }
}
