package io.proxyguard.tls;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void servingCertificateChainsToTheCaForItsNamesAndServerAuth() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(30), CLOCK);
        CertificateAndKey serving = ca.issueServing(List.of("webhook.ns.svc"), List.of("127.0.0.1", "::1"), Duration.ofDays(7));

        X509Certificate leaf = serving.certificate();
        PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate().certificate(), null)));
        pkix.setRevocationEnabled(false);
        pkix.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), pkix);

        assertThat(SubjectAltNames.of(leaf))
                .containsExactly("webhook.ns.svc", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.certificate().certificate().getBasicConstraints()).isZero();
        assertThat(((ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void notBeforeIsBackdatedAndServingNeverOutlivesTheCa() {
        CertificateAuthority ca = CertificateAuthority.create("test-ca", Duration.ofDays(30), CLOCK);
        CertificateAndKey serving = ca.issueServing(List.of("a"), List.of(), Duration.ofDays(365));

        assertThat(serving.notBefore()).isEqualTo(NOW.minus(CertificateAuthority.BACKDATE));
        assertThat(serving.notAfter()).isEqualTo(ca.certificate().notAfter()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void serialsAreRandomPositiveAndAtMost128Bits() {
        CertificateAuthority ca = CertificateAuthority.create(Duration.ofDays(1));
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            BigInteger serial = ca.issueServing(List.of("a"), List.of(), Duration.ofHours(1)).certificate().getSerialNumber();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(128);
            serials.add(serial);
        }
        assertThat(serials).hasSize(20);
        assertThat(serials.stream().mapToInt(BigInteger::bitLength).max().orElseThrow()).isGreaterThan(120);
    }

    @Test
    void remainingLifeFractionFallsFromOneToZero() {
        CertificateAndKey ca = CertificateAuthority.create("test-ca", Duration.ofDays(30), CLOCK).certificate();
        Duration total = Duration.between(ca.notBefore(), ca.notAfter());

        assertThat(ca.remainingLifeFraction(ca.notBefore())).isEqualTo(1.0);
        assertThat(ca.remainingLifeFraction(ca.notBefore().plus(total.dividedBy(3).multipliedBy(2)))).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(ca.remainingLifeFraction(ca.notAfter())).isZero();
        assertThat(ca.remainingLifeFraction(ca.notAfter().plusSeconds(1))).isZero();
    }

    @Test
    void storedCaIssuesMoreCertificatesAfterAPemRoundTrip() throws Exception {
        CertificateAuthority original = CertificateAuthority.create(Duration.ofDays(10));
        CertificateAndKey stored = CertificateAndKey.fromPem(original.certificate().certificatePem(), "ca.crt",
                original.certificate().privateKeyPem(), "ca.key");

        CertificateAndKey issued = CertificateAuthority.of(stored).issueServing(List.of("x"), List.of(), Duration.ofDays(1));

        issued.certificate().verify(original.certificate().certificate().getPublicKey());
    }

    @Test
    void leafCertificateIsNotAcceptedAsCa() {
        CertificateAndKey leaf = CertificateAuthority.create(Duration.ofDays(1)).issueServing(List.of("x"), List.of(), Duration.ofDays(1));

        assertThatThrownBy(() -> CertificateAuthority.of(leaf)).isInstanceOf(TlsMaterialException.class).hasMessageContaining("not a CA");
    }

    @Test
    void badInputsAreRefused() {
        CertificateAuthority ca = CertificateAuthority.create(Duration.ofDays(1));

        assertThatThrownBy(() -> ca.issueServing(List.of(), List.of(), Duration.ofDays(1))).hasMessageContaining("at least one");
        assertThatThrownBy(() -> ca.issueServing(List.of("a"), List.of("300.1.1.1"), Duration.ofDays(1))).hasMessageContaining("not an IPv4 or IPv6");
        assertThatThrownBy(() -> CertificateAuthority.create(Duration.ZERO)).hasMessageContaining("positive");
    }
}
