package io.proxyguard.certmanager;

import io.proxyguard.tls.CertificateAuthority;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When the certificates are renewed. A certificate is renewed once a third of its life remains (as
 * cert-manager does): the CA, and the serving certificate, which is also re-issued when it was not signed by
 * the signing CA (after a CA rotation) or does not carry the Service's names. CAs being retired stay trusted
 * until the serving certificate signed by the new CA has been out for {@code retireAfter}, long enough for
 * every replica to have loaded it.
 *
 * @param caValidity      life of a new CA
 * @param servingValidity life of a new serving certificate (never past its CA's)
 * @param retireAfter     how long retiring CAs stay in the trust bundle once nothing served needs them
 */
public record RenewalPolicy(Duration caValidity, Duration servingValidity, Duration retireAfter) {

    /** Share of its life left at which a certificate is renewed. */
    public static final double RENEW_AT_REMAINING = 1.0 / 3;

    /** A CA for three years (renewed with a year left), a serving certificate for 90 days (renewed with 30 left). */
    public static final RenewalPolicy DEFAULT = new RenewalPolicy(Duration.ofDays(3 * 365), Duration.ofDays(90), Duration.ofHours(1));

    public RenewalPolicy {
        if (caValidity.isNegative() || caValidity.isZero() || servingValidity.isNegative() || servingValidity.isZero()) {
            throw new IllegalArgumentException("certificate validities must be positive");
        }
        if (servingValidity.compareTo(caValidity) > 0) {
            throw new IllegalArgumentException("a serving certificate cannot outlive its CA: " + servingValidity + " > " + caValidity);
        }
        if (retireAfter.isNegative()) {
            throw new IllegalArgumentException("retireAfter must not be negative");
        }
    }

    /** True when the signing CA has a third of its life or less left. */
    public boolean caDue(CertificateSet set, Instant now) {
        return set.signingCa().remainingLifeFraction(now) <= RENEW_AT_REMAINING;
    }

    /** Why the serving certificate must be re-issued now, or empty when it is good. */
    public Optional<String> servingDue(CertificateSet set, Instant now, List<String> dnsNames) {
        if (!set.servingSignedBySigningCa()) {
            return Optional.of("it was not signed by the current CA");
        }
        if (!dnsNamesOf(set.serving().certificate()).equals(new HashSet<>(dnsNames))) {
            return Optional.of("it does not carry exactly the names " + dnsNames);
        }
        if (set.serving().remainingLifeFraction(now) <= RENEW_AT_REMAINING) {
            return Optional.of("a third of its life or less remains (valid until " + set.serving().notAfter() + ")");
        }
        return Optional.empty();
    }

    /** True when retiring CAs can leave the bundle: what is served was signed by the new CA at least {@code retireAfter} ago. */
    public boolean retireDue(CertificateSet set, Instant now) {
        if (set.retiringCas().isEmpty() || !set.servingSignedBySigningCa()) {
            return false;
        }
        Instant issued = set.serving().notBefore().plus(CertificateAuthority.BACKDATE);
        return !now.isBefore(issued.plus(retireAfter));
    }

    private static Set<String> dnsNamesOf(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    if (Integer.valueOf(2).equals(name.get(0))) {
                        names.add((String) name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }
}
