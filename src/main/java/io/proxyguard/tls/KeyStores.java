package io.proxyguard.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** In-memory JSSE key stores built from PEM material, so no keystore file ever has to be kept in sync. */
public final class KeyStores {

    public static final String SERVING_ALIAS = "serving";

    private KeyStores() {
    }

    /** A PKCS#12 store holding the serving key under {@value #SERVING_ALIAS}, protected by {@code password}. */
    public static KeyStore forServing(CertificateAndKey serving, char[] password) {
        KeyStore store = empty();
        try {
            store.setKeyEntry(SERVING_ALIAS, serving.privateKey(), password, serving.fullChain().toArray(Certificate[]::new));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot put the serving key into a key store: " + e.getMessage(), e);
        }
        return store;
    }

    /** A trust store that trusts exactly {@code anchors}: a client that trusts only the webhook's CA. */
    public static KeyStore trusting(X509Certificate... anchors) {
        KeyStore store = empty();
        try {
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, anchors[i]);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
        return store;
    }

    /** A store with no entry: what a server holds before its first certificate arrives. */
    public static KeyStore empty() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("this JVM has no PKCS12 key store", e);
        }
    }
}
