package io.proxyguard.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A certificate, the chain above it (empty for a CA or a directly signed leaf) and its private key: the
 * content of a {@code kubernetes.io/tls} Secret. Checks on construction that the key belongs to the
 * certificate, so a half-rotated pair (new certificate, old key) is never put into service.
 */
public record CertificateAndKey(X509Certificate certificate, List<X509Certificate> chain, PrivateKey privateKey) {

    public CertificateAndKey {
        chain = List.copyOf(chain);
        if (!keyMatches(certificate.getPublicKey(), privateKey)) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
    }

    public CertificateAndKey(X509Certificate certificate, PrivateKey privateKey) {
        this(certificate, List.of(), privateKey);
    }

    /**
     * Reads a certificate file's text (leaf first, then any chain) and a key file's text.
     *
     * @param certificateSource and {@code keySource} name the inputs in error messages
     */
    public static CertificateAndKey fromPem(String certificatePem, String certificateSource, String keyPem, String keySource)
            throws TlsMaterialException {
        List<X509Certificate> certificates = Pem.decodeCertificates(certificatePem, certificateSource);
        PrivateKey key = Pem.decodePrivateKey(keyPem, keySource);
        try {
            return new CertificateAndKey(certificates.get(0), certificates.subList(1, certificates.size()), key);
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException(keySource + " does not match " + certificateSource + ": " + e.getMessage(), e);
        }
    }

    /** The certificate followed by its chain, as PEM (a {@code tls.crt}). */
    public String certificatePem() {
        return Pem.encodeCertificates(fullChain());
    }

    /** The private key as PKCS#8 PEM (a {@code tls.key}). */
    public String privateKeyPem() {
        return Pem.encodePrivateKey(privateKey);
    }

    public List<X509Certificate> fullChain() {
        return Stream.concat(Stream.of(certificate), chain.stream()).toList();
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /**
     * The share of the validity period still ahead at {@code now}: 1 at notBefore, 0 at or after notAfter.
     * A renewer replaces a certificate when this falls below a third (cert-manager's rule).
     */
    public double remainingLifeFraction(Instant now) {
        Duration total = Duration.between(notBefore(), notAfter());
        Duration left = Duration.between(now, notAfter());
        if (left.isNegative() || left.isZero() || total.isZero()) {
            return 0.0;
        }
        return Math.min(1.0, (double) left.toMillis() / total.toMillis());
    }

    /** True when {@code now} lies within notBefore..notAfter. */
    public boolean isValidAt(Instant now) {
        return !now.isBefore(notBefore()) && now.isBefore(notAfter());
    }

    private static boolean keyMatches(PublicKey publicKey, PrivateKey privateKey) {
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] probe = "proxyguard key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
