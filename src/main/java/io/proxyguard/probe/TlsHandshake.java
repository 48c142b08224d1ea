package io.proxyguard.probe;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;

/**
 * A TLS client handshake over an existing connection (the proxy's TCP connection, or the tunnel through
 * it), with SNI and HTTPS host name checking for the peer's name. A fresh {@link SSLContext} per handshake
 * means no session is resumed: every probe sees the full certificate.
 */
final class TlsHandshake {

    private TlsHandshake() {
    }

    /** The TLS socket layered on {@code underlying}, and the certificate the peer presented. */
    record Established(SSLSocket socket, CertificateSummary certificate) {
    }

    /** A handshake that did not complete: why, in the JDK's words, and what the peer presented if anything. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final TlsProblem problem;
        private final transient CertificateSummary presented;

        Failed(TlsProblem problem, String detail, CertificateSummary presented, Throwable cause) {
            super(detail, cause);
            this.problem = problem;
            this.presented = presented;
        }

        TlsProblem problem() {
            return problem;
        }

        /** The leaf certificate the peer sent, or null when the handshake failed before it. */
        CertificateSummary presented() {
            return presented;
        }
    }

    static Established perform(Socket underlying, HostPort peer, TlsTrust trust, Duration timeout) throws Failed {
        CertificateCheck check = trust.newCheck();
        SSLSocket socket;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {check}, null);
            socket = (SSLSocket) context.getSocketFactory().createSocket(underlying, peer.host(), peer.port(), true);
        } catch (GeneralSecurityException | IOException e) {
            throw new Failed(TlsProblem.PROTOCOL_ERROR, "cannot set up TLS: " + e.getMessage(), null, e);
        }
        SSLParameters parameters = socket.getSSLParameters();
        if (trust.verifies()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!peer.isIpv6Literal() && !peer.host().matches("[0-9.]+")) {
            parameters.setServerNames(List.of(new SNIHostName(peer.host())));
        }
        socket.setSSLParameters(parameters);
        try {
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            socket.startHandshake();
        } catch (IOException e) {
            CertificateSummary presented = check.presented().isEmpty() ? null : CertificateSummary.of(check.presented().get(0));
            throw new Failed(classify(check, e), detail(check, e), presented, e);
        }
        return new Established(socket, CertificateSummary.of(check.presented().get(0)));
    }

    private static TlsProblem classify(CertificateCheck check, IOException failure) {
        if (check.problem().isPresent()) {
            return check.problem().get();
        }
        if (hasCause(failure, SocketTimeoutException.class)) {
            return TlsProblem.HANDSHAKE_TIMEOUT;
        }
        if (hasCause(failure, EOFException.class) || !(failure instanceof SSLException)) {
            return TlsProblem.CONNECTION_CLOSED;
        }
        return TlsProblem.PROTOCOL_ERROR;
    }

    private static String detail(CertificateCheck check, IOException failure) {
        return check.problem().isPresent() ? check.detail() : String.valueOf(failure.getMessage());
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
