package io.proxyguard.probe;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A trust manager for one client handshake that tells apart why a certificate was refused: it checks the
 * chain alone first (trust anchors, validity), then the chain with the host name (the JDK's HTTPS endpoint
 * identification, enabled on the socket). A failure of the second check alone is a host name mismatch. It
 * also keeps the chain the peer presented, so a report can name the certificate even when it was refused.
 */
final class CertificateCheck extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private List<X509Certificate> presented = List.of();
    private TlsProblem problem;
    private String detail;

    CertificateCheck(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    List<X509Certificate> presented() {
        return presented;
    }

    /** The reason this check refused the certificate, if it did. */
    Optional<TlsProblem> problem() {
        return Optional.ofNullable(problem);
    }

    String detail() {
        return detail;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkWithName(chain, authType, () -> delegate.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkWithName(chain, authType, () -> delegate.checkServerTrusted(chain, authType, engine));
    }

    /** The chain alone, then the delegate's check that includes the host name (for the socket or engine). */
    private void checkWithName(X509Certificate[] chain, String authType, NameCheck nameCheck) throws CertificateException {
        presented = List.of(chain);
        if (delegate == null) {
            return;
        }
        checkChain(chain, authType);
        try {
            nameCheck.run();
        } catch (CertificateException e) {
            throw refuse(TlsProblem.HOSTNAME_MISMATCH, e);
        }
    }

    @FunctionalInterface
    private interface NameCheck {
        void run() throws CertificateException;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        presented = List.of(chain);
        if (delegate != null) {
            checkChain(chain, authType);
        }
    }

    private void checkChain(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw refuse(isOutsideValidity(chain[0]) ? TlsProblem.EXPIRED : TlsProblem.UNTRUSTED, e);
        }
    }

    private static boolean isOutsideValidity(X509Certificate certificate) {
        try {
            certificate.checkValidity();
            return false;
        } catch (CertificateException e) {
            return true;
        }
    }

    private CertificateException refuse(TlsProblem found, CertificateException cause) {
        problem = found;
        detail = cause.getMessage();
        return cause;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a probe never accepts client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
    }
}
