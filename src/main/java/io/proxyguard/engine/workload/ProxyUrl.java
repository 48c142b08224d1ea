package io.proxyguard.engine.workload;

import io.proxyguard.engine.model.IpBlock;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A proxy setting as applications read it from {@code HTTPS_PROXY}: {@code IP:PORT}, {@code http://IP:PORT},
 * {@code http://user:pass@host:port}, with or without a trailing slash. Credentials are never kept, only
 * whether there were some, so nothing derived from this can leak them.
 */
public record ProxyUrl(String scheme, boolean hasCredentials, String host, int port) {

    /** curl's default port for a proxy given without one. */
    public static final int DEFAULT_PORT = 1080;

    /** The parsed URL, or empty when {@code value} is not a proxy URL. */
    public static Optional<ProxyUrl> parse(String value) {
        if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            return Optional.empty();
        }
        String text = value.contains("://") ? value : "http://" + value;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            boolean pathOk = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
            if (host == null || !pathOk || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !(scheme.equals("http") || scheme.equals("https") || scheme.startsWith("socks"))) {
                return Optional.empty();
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
            if (port < 1 || port > 65535) {
                return Optional.empty();
            }
            return Optional.of(new ProxyUrl(scheme, uri.getRawUserInfo() != null, host, port));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The proxy's IP, when the host is an IP literal. */
    public Optional<byte[]> ip() {
        return IpBlock.parseLiteral(host);
    }

    /** {@code http://***@10.0.0.5:3128}: what messages and logs show. */
    public String redacted() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + (hasCredentials ? "***@" : "") + shownHost + ":" + port;
    }

    /** {@code 10.0.0.5:3128}. */
    public String endpoint() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** A value shown in a message when it does not parse: its shape only, never its content. */
    public static String describeUnparsable(String value) {
        if (value == null) {
            return "an empty value";
        }
        return "a value of " + value.length() + " characters";
    }
}
