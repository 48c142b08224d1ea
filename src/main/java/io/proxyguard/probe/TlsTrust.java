package io.proxyguard.probe;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * What a probe trusts when it checks a TLS peer's certificate: the JDK's trust store, the CA certificates
 * of a PEM file ({@code --ca}), or nothing at all ({@code --insecure}: the handshake still runs and the
 * certificate is still reported, but neither its chain nor its name is checked).
 */
public final class TlsTrust {

    private final X509ExtendedTrustManager trustManager;
    private final String description;

    private TlsTrust(X509ExtendedTrustManager trustManager, String description) {
        this.trustManager = trustManager;
        this.description = description;
    }

    /** The JDK's default trust store (cacerts). */
    public static TlsTrust jdkDefault() {
        try {
            return new TlsTrust(trustManagerFor(null), "the JDK trust store");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK trust store cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** Every certificate in a PEM (or DER) file, as trust anchors. */
    public static TlsTrust fromPemFile(Path file) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read CA certificates from " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            return new TlsTrust(trustManagerFor(store), "the CA file " + file);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Trusts any certificate for any name: for looking at what a peer presents, never for trusting it. */
    public static TlsTrust insecure() {
        return new TlsTrust(null, "nothing (--insecure)");
    }

    /** A fresh check for one handshake, which remembers the chain it saw and why it rejected it. */
    CertificateCheck newCheck() {
        return new CertificateCheck(trustManager);
    }

    public boolean verifies() {
        return trustManager != null;
    }

    /** "the JDK trust store", "the CA file ca.pem" or "nothing (--insecure)", for messages. */
    public String description() {
        return description;
    }

    private static X509ExtendedTrustManager trustManagerFor(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }
}
