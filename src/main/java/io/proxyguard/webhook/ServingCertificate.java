package io.proxyguard.webhook;

import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.CertificateFiles;
import io.proxyguard.tls.KeyStores;
import io.proxyguard.tls.TlsMaterialException;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The serving certificate behind the webhook's TLS port: a Jetty {@link SslContextFactory.Server} fed
 * from a PEM certificate file and key file, TLS 1.2 and 1.3 only. {@link #reload()} re-reads the files
 * and swaps the key material in place: connections already open finish on the old certificate, new
 * handshakes get the new one, and a pair that does not load (half written, key not matching) is refused
 * with a logged error while the old one stays in service.
 */
public final class ServingCertificate {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificate.class);
    // Only guards an in-memory key store that never touches disk.
    private static final String STORE_PASSWORD = "proxyguard-in-memory";

    private final Path certificateFile;
    private final Path keyFile;
    private final WebhookMetrics metrics;
    private final SslContextFactory.Server sslContextFactory = new SslContextFactory.Server();
    private volatile CertificateAndKey current;

    /** Loads the pair once; fails when it cannot be used, since a webhook without a certificate is useless. */
    public ServingCertificate(Path certificateFile, Path keyFile, WebhookMetrics metrics) throws TlsMaterialException {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.metrics = metrics;
        this.current = CertificateFiles.read(certificateFile, keyFile);
        sslContextFactory.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
        sslContextFactory.setCipherComparator(HTTP2Cipher.COMPARATOR);
        sslContextFactory.setKeyStorePassword(STORE_PASSWORD);
        sslContextFactory.setKeyManagerPassword(STORE_PASSWORD);
        sslContextFactory.setKeyStore(KeyStores.forServing(current, STORE_PASSWORD.toCharArray()));
        metrics.certificateInUse(current.notAfter());
    }

    public SslContextFactory.Server sslContextFactory() {
        return sslContextFactory;
    }

    public List<Path> files() {
        return List.of(certificateFile, keyFile);
    }

    public CertificateAndKey current() {
        return current;
    }

    /** True when the certificate in service is within its validity period. */
    public boolean isUsable(Instant now) {
        return current.isValidAt(now);
    }

    /** Re-reads the files and puts the new pair into service; returns whether it did. */
    public synchronized boolean reload() {
        CertificateAndKey next;
        try {
            next = CertificateFiles.read(certificateFile, keyFile);
        } catch (TlsMaterialException e) {
            LOG.error("serving certificate not reloaded, the one in use stays: {}", e.getMessage());
            metrics.certificateReload(false);
            return false;
        }
        if (next.certificate().equals(current.certificate())) {
            return false;
        }
        try {
            sslContextFactory.reload(factory -> factory.setKeyStore(KeyStores.forServing(next, STORE_PASSWORD.toCharArray())));
        } catch (Exception e) {
            LOG.error("serving certificate not reloaded, the one in use stays: {}", e.getMessage(), e);
            metrics.certificateReload(false);
            return false;
        }
        current = next;
        metrics.certificateReload(true);
        metrics.certificateInUse(next.notAfter());
        LOG.info("serving certificate reloaded from {}: serial {}, valid until {}", certificateFile,
                next.certificate().getSerialNumber().toString(16), next.notAfter());
        return true;
    }
}
