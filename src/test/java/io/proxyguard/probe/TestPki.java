package io.proxyguard.probe;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Test certificates made with BouncyCastle the way ingress-nginx's certgen makes them: ECDSA P-256, random
 * 128-bit serials, notBefore a few minutes back, short lives. A CA issues leaves for DNS names or IPs.
 */
final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JcaX509ExtensionUtils EXTENSIONS = extensionUtils();

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate with its private key and the chain up to (and including) its CA. */
    record Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {

        /** A server-side TLS context that presents this certificate. */
        SSLContext serverContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("leaf", key, new char[0], new Certificate[] {certificate, issuer});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, new char[0]);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(factory.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes the certificate chain and the PKCS#8 key as PEM files, as Squid's tls-cert/tls-key want them. */
        void writePem(Path certificateFile, Path keyFile) throws IOException {
            Files.writeString(certificateFile, pem(certificate) + pem(issuer));
            // PKCS#8 with the public key inside the EC key, which GnuTLS (Debian's Squid) insists on and the JDK leaves out
            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
            PrivateKeyInfo keyInfo = new PrivateKeyInfo(publicKey.getAlgorithm(), new org.bouncycastle.asn1.sec.ECPrivateKey(
                    256, ((ECPrivateKey) key).getS(), publicKey.getPublicKeyData(), null));
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(new PemObject("PRIVATE KEY", keyInfo.getEncoded()));
            }
            Files.writeString(keyFile, text.toString());
        }
    }

    /** A CA: its certificate (to hand to --ca) and the key it signs leaves with. */
    record Authority(X509Certificate certificate, PrivateKey key) {

        Issued issueFor(String dnsName) {
            return issue(dnsName, new GeneralName(GeneralName.dNSName, dnsName), Instant.now().plus(Duration.ofDays(2)));
        }

        Issued issueForIp(String ip) {
            return issue(ip, new GeneralName(GeneralName.iPAddress, ip), Instant.now().plus(Duration.ofDays(2)));
        }

        Issued issueExpired(String dnsName) {
            return issue(dnsName, new GeneralName(GeneralName.dNSName, dnsName), Instant.now().minus(Duration.ofDays(1)));
        }

        void writePem(Path file) throws IOException {
            Files.writeString(file, pem(certificate));
        }

        private Issued issue(String commonName, GeneralName name, Instant notAfter) {
            try {
                KeyPair pair = newKeyPair();
                Instant notBefore = notAfter.isBefore(Instant.now())
                        ? notAfter.minus(Duration.ofDays(2)) : Instant.now().minus(Duration.ofMinutes(5));
                JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        certificate, serial(), Date.from(notBefore), Date.from(notAfter),
                        new X500Name("CN=" + commonName), pair.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
                builder.addExtension(Extension.subjectKeyIdentifier, false, EXTENSIONS.createSubjectKeyIdentifier(pair.getPublic()));
                builder.addExtension(Extension.authorityKeyIdentifier, false, EXTENSIONS.createAuthorityKeyIdentifier(certificate));
                X509Certificate leaf = sign(builder, key);
                return new Issued(leaf, pair.getPrivate(), certificate);
            } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestPki() {
    }

    static Authority newAuthority(String commonName) {
        try {
            KeyPair pair = newKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(Instant.now().minus(Duration.ofMinutes(5))), Date.from(Instant.now().plus(Duration.ofDays(3))),
                    name, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, EXTENSIONS.createSubjectKeyIdentifier(pair.getPublic()));
            return new Authority(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, RANDOM);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static String pem(X509Certificate certificate) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return text.toString();
    }
}
