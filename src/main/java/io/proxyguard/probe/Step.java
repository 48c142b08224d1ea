package io.proxyguard.probe;

/** The steps of a probe, in order. Each is timed; a probe stops at the first that fails. */
public enum Step {
    TCP_CONNECT("tcp connect"),
    PROXY_TLS("tls to proxy"),
    CONNECT("CONNECT"),
    TLS_HANDSHAKE("tls handshake");

    private final String label;

    Step(String label) {
        this.label = label;
    }

    /** The name reports use: {@code tcp connect}, {@code CONNECT}, ... */
    public String label() {
        return label;
    }

    /** The name JSON and metrics use: {@code tcp_connect}, {@code connect}, ... */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
