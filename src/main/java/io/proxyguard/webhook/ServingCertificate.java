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
 * either from a PEM certificate file and key file, or in memory ({@link #inMemory}, for certificates that
 * come from a Kubernetes Secret). TLS 1.2 and 1.3 only. {@link #reload()} re-reads the files and
 * {@link #use} takes a pair handed over; both swap the key material in place: connections already open
 * finish on the old certificate, new handshakes get the new one, and a pair that does not load (half
 * written, key not matching) is refused with a logged error while the old one stays in service.
 */
public final class ServingCertificate {

    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificate.class);
    // Only guards an in-memory key store that never touches disk.
    private static final String STORE_PASSWORD = "proxyguard-in-memory";

    private final List<Path> files;
    private final WebhookMetrics metrics;
    private final SslContextFactory.Server sslContextFactory = new SslContextFactory.Server();
    private volatile CertificateAndKey current;

    /** Loads the pair once; fails when it cannot be used, since a webhook without a certificate is useless. */
    public ServingCertificate(Path certificateFile, Path keyFile, WebhookMetrics metrics) throws TlsMaterialException {
        this(List.of(certificateFile, keyFile), CertificateFiles.read(certificateFile, keyFile), metrics);
    }

    private ServingCertificate(List<Path> files, CertificateAndKey initial, WebhookMetrics metrics) {
        this.files = List.copyOf(files);
        this.metrics = metrics;
        this.current = initial;
        sslContextFactory.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
        sslContextFactory.setCipherComparator(HTTP2Cipher.COMPARATOR);
        sslContextFactory.setKeyStorePassword(STORE_PASSWORD);
        sslContextFactory.setKeyManagerPassword(STORE_PASSWORD);
        sslContextFactory.setKeyStore(initial == null ? KeyStores.empty() : KeyStores.forServing(initial, STORE_PASSWORD.toCharArray()));
        if (initial != null) {
            metrics.certificateInUse(initial.notAfter());
        }
    }

    /**
     * A certificate with no files behind it: it holds no key until the first {@link #use}, so until then
     * handshakes fail and {@link #isUsable} is false (the webhook is not ready).
     */
    public static ServingCertificate inMemory(WebhookMetrics metrics) {
        return new ServingCertificate(List.of(), null, metrics);
    }

    public SslContextFactory.Server sslContextFactory() {
        return sslContextFactory;
    }

    /** The certificate and key files served from; empty for an {@link #inMemory} certificate. */
    public List<Path> files() {
        return files;
    }

    /** The pair in service; null only for an {@link #inMemory} certificate that has not been given one yet. */
    public CertificateAndKey current() {
        return current;
    }

    /** True when a certificate is in service and within its validity period. */
    public boolean isUsable(Instant now) {
        CertificateAndKey inService = current;
        return inService != null && inService.isValidAt(now);
    }

    /** Re-reads the files and puts the new pair into service; returns whether it did. */
    public synchronized boolean reload() {
        CertificateAndKey next;
        try {
            next = CertificateFiles.read(files.get(0), files.get(1));
        } catch (TlsMaterialException e) {
            LOG.error("serving certificate not reloaded, the one in use stays: {}", e.getMessage());
            metrics.certificateReload(false);
            return false;
        }
        return use(next, files.get(0).toString());
    }

    /**
     * Puts {@code next} into service unless it is the certificate already served; returns whether it did.
     *
     * @param origin where the pair comes from, for the log (a file, a Secret)
     */
    public synchronized boolean use(CertificateAndKey next, String origin) {
        if (current != null && next.certificate().equals(current.certificate())) {
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
        LOG.info("serving certificate loaded from {}: serial {}, valid until {}", origin,
                next.certificate().getSerialNumber().toString(16), next.notAfter());
        return true;
    }
}
