package io.proxyguard.probe;

/** Why a TLS handshake failed, as far as the probe can tell without reading exception messages. */
public enum TlsProblem {
    UNTRUSTED("untrusted", "the certificate chain is not trusted"),
    EXPIRED("expired", "the certificate is outside its validity period"),
    HOSTNAME_MISMATCH("hostname-mismatch", "the certificate does not name the host"),
    HANDSHAKE_TIMEOUT("handshake-timeout", "no TLS answer before the timeout"),
    CONNECTION_CLOSED("closed", "the connection closed during the handshake"),
    PROTOCOL_ERROR("protocol-error", "the handshake failed");

    private final String code;
    private final String summary;

    TlsProblem(String code, String summary) {
        this.code = code;
        this.summary = summary;
    }

    public String code() {
        return code;
    }

    public String summary() {
        return summary;
    }
}
