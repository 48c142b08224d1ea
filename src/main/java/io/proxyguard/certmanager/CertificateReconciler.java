package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.Secret;
import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.CertificateAuthority;
import io.proxyguard.tls.HostNames;
import io.proxyguard.tls.TlsMaterialException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The leader's work, one idempotent pass at a time. The rule it never breaks: a Secret only ever carries a
 * serving certificate whose CA every webhook's {@code caBundle} already holds, because replicas serve what
 * the Secret carries within seconds. So each pass, in order:
 * <ol>
 *   <li>No usable Secret: a new CA and serving certificate. The bundle keeps the CAs the webhooks trust now
 *       (replicas may still serve a certificate they sign), the webhooks are patched first, the Secret written after.</li>
 *   <li>The CA has a third of its life left: a new CA signs from now on, the old one stays in the bundle.</li>
 *   <li>Every webhook's {@code caBundle} is made equal to the Secret's {@code ca.crt}; if that fails, the pass stops.</li>
 *   <li>The serving certificate is re-issued when due (a third of its life left, signed by an older CA, wrong names).</li>
 *   <li>Retiring CAs leave the bundle, Secret then webhooks, once the new serving certificate has been out long enough.</li>
 * </ol>
 */
final class CertificateReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateReconciler.class);

    private final TlsSecretStore store;
    private final WebhookTrust trust;
    private final RenewalPolicy policy;
    private final List<String> dnsNames;
    private final Clock clock;

    CertificateReconciler(TlsSecretStore store, WebhookTrust trust, RenewalPolicy policy, String service, String namespace, Clock clock) {
        this.store = store;
        this.trust = trust;
        this.policy = policy;
        this.dnsNames = HostNames.forService(service, namespace);
        this.clock = clock;
    }

    /**
     * One pass.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when a read or write fails (409: someone wrote
     *                                                                 first); the next pass starts over from what is stored
     */
    void reconcile() {
        Instant now = clock.instant();
        Optional<Secret> secret = store.read();
        Optional<String> version = secret.map(s -> s.getMetadata().getResourceVersion());
        Optional<CertificateSet> stored = secret.flatMap(this::parse);
        if (stored.isEmpty()) {
            create(now, version);
            return;
        }
        CertificateSet set = stored.get();
        store.adopt();
        if (policy.caDue(set, now)) {
            CertificateAuthority next = newAuthority();
            LOG.info("{}: the CA expires {} (a third of its life or less left): a new CA valid until {} signs from now on; "
                    + "both stay trusted until the new serving certificate is out", store.describe(), set.signingCa().notAfter(),
                    next.certificate().notAfter());
            set = set.withSigningCa(next.certificate());
            version = write(set, version);
        }
        trust.ensure(set.caBundlePem());
        Optional<String> servingDue = policy.servingDue(set, now, dnsNames);
        if (servingDue.isPresent()) {
            CertificateAndKey serving = issue(set.authority(clock));
            LOG.info("{}: re-issued the serving certificate because {}; new one valid until {}", store.describe(),
                    servingDue.get(), serving.notAfter());
            set = set.withServing(serving);
            version = write(set, version);
        }
        if (policy.retireDue(set, now)) {
            LOG.info("{}: every replica serves a certificate of the new CA: the {} retired CA(s) leave the caBundle",
                    store.describe(), set.retiringCas().size());
            set = set.withoutRetiringCas();
            write(set, version);
            trust.ensure(set.caBundlePem());
        }
    }

    private void create(Instant now, Optional<String> version) {
        CertificateAuthority authority = newAuthority();
        List<X509Certificate> keep = new ArrayList<>(trust.currentlyTrusted(now));
        keep.remove(authority.certificate().certificate());
        CertificateSet set = new CertificateSet(authority.certificate(), keep, issue(authority));
        trust.ensure(set.caBundlePem());
        write(set, version);
        LOG.info("{}: {} a CA valid until {} and a serving certificate for {} valid until {}{}", store.describe(),
                version.isEmpty() ? "created with" : "replaced with", authority.certificate().notAfter(), dnsNames,
                set.serving().notAfter(), keep.isEmpty() ? "" : "; the " + keep.size() + " CA(s) the webhooks trusted before stay trusted for now");
    }

    private Optional<CertificateSet> parse(Secret secret) {
        try {
            return Optional.of(CertificateSet.fromSecret(secret));
        } catch (TlsMaterialException e) {
            LOG.warn("{} is not usable, replacing it: {}", store.describe(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes and returns the new resourceVersion, so the next write of the same pass is checked against it. */
    private Optional<String> write(CertificateSet set, Optional<String> version) {
        return Optional.of(store.write(set, version));
    }

    private CertificateAuthority newAuthority() {
        return CertificateAuthority.create(CertificateAuthority.DEFAULT_COMMON_NAME, policy.caValidity(), clock);
    }

    private CertificateAndKey issue(CertificateAuthority authority) {
        return authority.issueServing(dnsNames, List.of(), policy.servingValidity());
    }
}
