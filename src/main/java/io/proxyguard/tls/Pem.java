package io.proxyguard.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM text for certificates and private keys, as Kubernetes TLS Secrets and webhook configurations hold
 * them. Keys are written as PKCS#8 ({@code BEGIN PRIVATE KEY}); both PKCS#8 and OpenSSL's traditional
 * {@code BEGIN EC PRIVATE KEY} are read.
 */
public final class Pem {

    private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
    private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

    private Pem() {
    }

    /** {@code -----BEGIN CERTIFICATE-----} blocks, one per certificate, in order. */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        return write(certificates.toArray());
    }

    public static String encodeCertificate(X509Certificate certificate) {
        return write(certificate);
    }

    /** The key as an unencrypted PKCS#8 {@code -----BEGIN PRIVATE KEY-----} block. */
    public static String encodePrivateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalArgumentException("cannot encode private key: " + e.getMessage(), e);
        }
    }

    /**
     * Every certificate in {@code pem}, in order (a serving certificate file may carry its chain).
     *
     * @param source names the text in error messages, e.g. a file path
     */
    public static List<X509Certificate> decodeCertificates(String pem, String source) throws TlsMaterialException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(CERTIFICATES.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsMaterialException(source + ": not a PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new TlsMaterialException(source + ": no -----BEGIN CERTIFICATE----- block found");
        }
        return List.copyOf(certificates);
    }

    /** The first private key in {@code pem} (PKCS#8 or traditional EC/RSA). */
    public static PrivateKey decodePrivateKey(String pem, String source) throws TlsMaterialException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof PrivateKeyInfo info) {
                    return KEYS.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return KEYS.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsMaterialException(source + ": not a PEM private key: " + e.getMessage(), e);
        }
        throw new TlsMaterialException(source + ": no unencrypted -----BEGIN PRIVATE KEY----- block found");
    }

    private static String write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return text.toString();
    }
}
