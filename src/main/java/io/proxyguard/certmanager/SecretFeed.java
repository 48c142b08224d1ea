package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.TlsMaterialException;
import io.proxyguard.webhook.CertificateFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What every replica, leader or not, serves: the {@code tls.crt}/{@code tls.key} of the one Secret, watched by
 * name (an informer with a {@code metadata.name} field selector, the only list/watch the chart grants). Each
 * new pair is handed to the webhook in memory, so a renewal needs no restart and no file. A pair that does
 * not load is logged and skipped, and a deleted Secret leaves the pair in service until the leader makes a
 * new one.
 */
final class SecretFeed implements CertificateFeed, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFeed.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Runnable onDeleted;
    private final List<Consumer<CertificateAndKey>> sinks = new CopyOnWriteArrayList<>();
    private volatile CertificateAndKey latest;
    private SharedIndexInformer<Secret> informer;

    /** @param onDeleted told when the Secret disappears (the leader then makes a new one at once) */
    SecretFeed(KubernetesClient client, String namespace, String name, Runnable onDeleted) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.onDeleted = onDeleted;
    }

    SecretFeed start() {
        informer = client.secrets().inNamespace(namespace).withName(name).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                take(secret);
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                take(after);
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                LOG.warn("{} was deleted; serving the certificate in memory until the leader writes a new one", origin());
                onDeleted.run();
            }
        }, 0);
        return this;
    }

    @Override
    public synchronized void subscribe(Consumer<CertificateAndKey> sink) {
        sinks.add(sink);
        if (latest != null) {
            sink.accept(latest);
        }
    }

    @Override
    public String origin() {
        return "Secret " + namespace + "/" + name;
    }

    /** The serving pair last read from the Secret. */
    Optional<CertificateAndKey> latest() {
        return Optional.ofNullable(latest);
    }

    private synchronized void take(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        if (!data.containsKey(CertificateSet.TLS_CERT) || !data.containsKey(CertificateSet.TLS_KEY)) {
            LOG.warn("{} has no {} and {} yet", origin(), CertificateSet.TLS_CERT, CertificateSet.TLS_KEY);
            return;
        }
        CertificateAndKey next;
        try {
            next = CertificateAndKey.fromPem(decode(data.get(CertificateSet.TLS_CERT)), origin() + " " + CertificateSet.TLS_CERT,
                    decode(data.get(CertificateSet.TLS_KEY)), origin() + " " + CertificateSet.TLS_KEY);
        } catch (TlsMaterialException | IllegalArgumentException e) {
            LOG.error("{} not loaded, the certificate in use stays: {}", origin(), e.getMessage());
            return;
        }
        if (latest != null && latest.certificate().equals(next.certificate())) {
            return;
        }
        latest = next;
        sinks.forEach(sink -> sink.accept(next));
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getMimeDecoder().decode(base64), java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
