package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every version of the Secret and of both webhook configurations, as watches deliver them. The API server
 * numbers all writes with one resourceVersion sequence, so comparing versions tells which write came first.
 */
final class WriteHistory implements AutoCloseable {

    /** One version of one object. */
    record Version(long resourceVersion, HasMetadata object) {
    }

    private final List<Version> secrets = new CopyOnWriteArrayList<>();
    private final List<Version> mutating = new CopyOnWriteArrayList<>();
    private final List<Version> validating = new CopyOnWriteArrayList<>();
    private final List<Watch> watches;

    WriteHistory(KubernetesClient client) {
        watches = List.of(
                client.secrets().inNamespace(CertificateLab.NAMESPACE).withName(CertificateLab.SECRET).watch(recorder(secrets)),
                client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CertificateLab.FULLNAME).watch(recorder(mutating)),
                client.admissionRegistration().v1().validatingWebhookConfigurations().withName(CertificateLab.FULLNAME).watch(recorder(validating)));
    }

    /** The version of the first Secret write whose serving certificate passes {@code test}, or -1. */
    long firstSecret(Predicate<CertificateSet> test) {
        for (Version version : secrets) {
            try {
                if (test.test(CertificateSet.fromSecret((Secret) version.object()))) {
                    return version.resourceVersion();
                }
            } catch (io.proxyguard.tls.TlsMaterialException e) {
                // a version without certificates: not the one looked for
            }
        }
        return -1;
    }

    /** The version of the first write after which every webhook of the mutating configuration trusts {@code ca}, or -1. */
    long firstMutatingTrusting(X509Certificate ca) {
        for (Version version : mutating) {
            MutatingWebhookConfiguration c = (MutatingWebhookConfiguration) version.object();
            if (c.getWebhooks().stream().allMatch(w -> CertificateLab.decode(w.getClientConfig().getCaBundle()).contains(ca))) {
                return version.resourceVersion();
            }
        }
        return -1;
    }

    /** The same for the validating configuration. */
    long firstValidatingTrusting(X509Certificate ca) {
        for (Version version : validating) {
            ValidatingWebhookConfiguration c = (ValidatingWebhookConfiguration) version.object();
            if (c.getWebhooks().stream().allMatch(w -> CertificateLab.decode(w.getClientConfig().getCaBundle()).contains(ca))) {
                return version.resourceVersion();
            }
        }
        return -1;
    }

    private static <T extends HasMetadata> Watcher<T> recorder(List<Version> versions) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    versions.add(new Version(Long.parseLong(object.getMetadata().getResourceVersion()), object));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test reads what was recorded
            }
        };
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
    }
}
