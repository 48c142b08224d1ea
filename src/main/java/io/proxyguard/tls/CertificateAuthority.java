package io.proxyguard.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A small certificate authority for the webhook's serving certificate: an ECDSA P-256 key and a
 * self-signed CA certificate that signs serving certificates. It can be created fresh, or rebuilt from a
 * stored CA (a Kubernetes Secret, a {@code ca.crt}/{@code ca.key} pair) to issue more.
 *
 * <p>Every certificate gets a random 128-bit serial and a notBefore a few minutes in the past, so a
 * client whose clock runs a little behind still accepts it. A serving certificate never outlives its CA.
 */
public final class CertificateAuthority {

    /** How far notBefore is back-dated to absorb clock skew between this host and its clients. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);
    public static final String DEFAULT_COMMON_NAME = "proxyguard-webhook-ca";

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CertificateAndKey ca;
    private final Clock clock;

    private CertificateAuthority(CertificateAndKey ca, Clock clock) {
        this.ca = ca;
        this.clock = clock;
    }

    /** A new CA named {@value #DEFAULT_COMMON_NAME}, valid for {@code validity} from now. */
    public static CertificateAuthority create(Duration validity) {
        return create(DEFAULT_COMMON_NAME, validity, Clock.systemUTC());
    }

    public static CertificateAuthority create(String commonName, Duration validity, Clock clock) {
        requirePositive(validity);
        KeyPair keys = newKeyPair();
        Instant now = clock.instant();
        X500Name subject = name(commonName);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, newSerial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys);
            return new CertificateAuthority(new CertificateAndKey(certificate, keys.getPrivate()), clock);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build CA certificate: " + e.getMessage(), e);
        }
    }

    /** A CA rebuilt from its stored certificate and key, to issue more certificates. */
    public static CertificateAuthority of(CertificateAndKey ca) throws TlsMaterialException {
        return of(ca, Clock.systemUTC());
    }

    public static CertificateAuthority of(CertificateAndKey ca, Clock clock) throws TlsMaterialException {
        if (ca.certificate().getBasicConstraints() < 0) {
            throw new TlsMaterialException(ca.certificate().getSubjectX500Principal().getName()
                    + " is not a CA certificate (basicConstraints CA:FALSE)");
        }
        return new CertificateAuthority(ca, clock);
    }

    /** The CA's certificate and key (what a Secret stores). */
    public CertificateAndKey certificate() {
        return ca;
    }

    /** The CA certificate as PEM: the webhook configuration's {@code caBundle}, before base64. */
    public String caBundlePem() {
        return Pem.encodeCertificate(ca.certificate());
    }

    /**
     * A TLS serving certificate for {@code dnsNames} and {@code ipAddresses} (subject alternative names;
     * clients ignore the common name), valid for {@code validity} but never past the CA's own notAfter.
     *
     * @throws IllegalArgumentException when there is no name at all or an IP does not parse
     */
    public CertificateAndKey issueServing(List<String> dnsNames, List<String> ipAddresses, Duration validity) {
        requirePositive(validity);
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one DNS name or IP address");
        }
        KeyPair keys = newKeyPair();
        Instant now = clock.instant();
        Instant notAfter = earliest(now.plus(validity), ca.notAfter());
        String commonName = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            PublicKey caKey = ca.certificate().getPublicKey();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), newSerial(),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), name(commonName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(dnsNames, ipAddresses))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caKey));
            X509Certificate certificate = sign(builder, new KeyPair(caKey, ca.privateKey()));
            return new CertificateAndKey(certificate, keys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build serving certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralNames subjectAlternativeNames(List<String> dnsNames, List<String> ipAddresses) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        for (String ip : ipAddresses) {
            if (!IPAddress.isValid(ip)) {
                throw new IllegalArgumentException("'" + ip + "' is not an IPv4 or IPv6 address");
            }
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        try {
            ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
            certificate.verify(signer.getPublic());
            return certificate;
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate ECDSA P-256 keys", e);
        }
    }

    /** A random positive serial of 128 bits (RFC 5280 allows up to 20 octets). */
    private static BigInteger newSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static void requirePositive(Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, got " + validity);
        }
    }
}
