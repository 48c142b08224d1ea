package io.proxyguard.probe;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What came back for a CONNECT request: the status line, the header fields in order, and the start of the
 * body (error pages only; a 2xx answer opens the tunnel and has none).
 */
public record ConnectAnswer(String version, int status, String reason, List<Header> headers, String bodyExcerpt) {

    /** One header field as received. */
    public record Header(String name, String value) {
    }

    public ConnectAnswer {
        headers = List.copyOf(headers);
        reason = reason == null ? "" : reason;
        bodyExcerpt = bodyExcerpt == null ? "" : bodyExcerpt;
    }

    /** True for a 2xx answer: the tunnel is open. */
    public boolean tunnelOpen() {
        return status >= 200 && status < 300;
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** Header names that start with a prefix, lower case ({@code x-envoy-upstream-service-time}). */
    public List<String> headerNamesStartingWith(String prefix) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        return headers.stream().map(h -> h.name().toLowerCase(Locale.ROOT)).filter(n -> n.startsWith(lower)).toList();
    }

    /** {@code HTTP/1.1 403 Forbidden}. */
    public String statusLine() {
        return (version + " " + status + " " + reason).trim();
    }

    /** The status line plus the header that names the cause, when the proxy sent one (Squid's X-Squid-Error). */
    public String describe() {
        return statusLine() + header("X-Squid-Error").map(e -> " (X-Squid-Error: " + e + ")").orElse("");
    }
}
