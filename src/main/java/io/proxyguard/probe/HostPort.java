package io.proxyguard.probe;

import java.net.InetSocketAddress;

/**
 * A host (name, IPv4 or IPv6 literal) and a port, as written on the command line: {@code 10.0.0.5:3128},
 * {@code en.wikipedia.org:443} or {@code [fd00::5]:3128}. An IPv6 literal needs its brackets, so that the
 * port cannot be mistaken for a group of the address.
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
    }

    /** Parses {@code HOST:PORT} or {@code [IPv6]:PORT}; the message of the exception says what is wrong. */
    public static HostPort parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        String host;
        String port;
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf(']');
            if (close < 0 || close + 1 >= trimmed.length() || trimmed.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + trimmed + "' is not [IPv6]:PORT");
            }
            host = trimmed.substring(1, close);
            port = trimmed.substring(close + 2);
        } else {
            int colon = trimmed.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + trimmed + "' has no port: write HOST:PORT");
            }
            host = trimmed.substring(0, colon);
            port = trimmed.substring(colon + 1);
            if (host.contains(":")) {
                throw new IllegalArgumentException("'" + trimmed + "': an IPv6 address needs brackets, as in [" + host + "]:" + port);
            }
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("'" + trimmed + "' has no host");
        }
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("'" + trimmed + "': '" + port + "' is not a port number");
        }
        return new HostPort(host, Integer.parseInt(port));
    }

    /** True when the host is an IPv6 literal (it contains a colon). */
    public boolean isIpv6Literal() {
        return host.contains(":");
    }

    /** The address to connect to; the name is resolved at connect time. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    /** {@code host:port}, with brackets around an IPv6 literal: the form of a CONNECT request target. */
    @Override
    public String toString() {
        return (isIpv6Literal() ? "[" + host + "]" : host) + ":" + port;
    }
}
