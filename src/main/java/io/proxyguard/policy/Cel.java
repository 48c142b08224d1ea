package io.proxyguard.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Pieces of CEL source that several expressions share: string literals, and the regular expressions that
 * read IP text the way {@link io.proxyguard.engine.model.IpBlock} does. The policy for Kubernetes 1.28 to 1.30
 * may not use {@code ip()} or {@code cidr()} (only from 1.31), so addresses are read with {@code matches}
 * (RE2 in the API server: no look-around, no back-references here) and {@code split}.
 */
final class Cel {

    /** A dotted-quad part as ProxyGuard reads it: 0 to 255, no leading zero. */
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** An IPv4 literal as ProxyGuard reads it. */
    static final String IPV4 = OCTET + "([.]" + OCTET + "){3}";
    /** The IPv4 tail of an IPv6 literal, as Java reads it: leading zeros allowed (length is checked apart). */
    static final String EMBEDDED_IPV4 = "0*" + OCTET + "([.]0*" + OCTET + "){3}";
    /** One IPv6 group: hexadecimal, at most 0xffff, leading zeros allowed. */
    static final String GROUP = "0*[0-9A-Fa-f]{1,4}";
    /** The longest IPv4 tail Java accepts inside an IPv6 literal. */
    static final int MAX_EMBEDDED_IPV4_LENGTH = 15;
    /** The HTTP family of Istio's protocols (upper case). */
    static final List<String> HTTP_FAMILY = List.of("HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB");
    /** Resolutions that look the placeholder host up in DNS. */
    static final List<String> DNS_RESOLUTIONS = List.of("DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS");

    private Cel() {
    }

    /** {@code text} as a single-quoted CEL string literal. */
    static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A CEL list of string literals. */
    static String list(List<String> items) {
        return items.stream().map(Cel::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    /** {@code ip.matches('^REGEX$')}: the whole string matches. */
    static String matchesWhole(String ip, String regex) {
        return ip + ".matches(" + quote("^(" + regex + ")$") + ")";
    }

    /**
     * True when the CEL string {@code ip} is an IPv6 literal that Java's parser (and so ProxyGuard) accepts;
     * {@code halves} is {@code ip.split('::')}.
     */
    static String isIpv6(String ip, String halves) {
        String head = halves + "[0]";
        String tail = halves + "[1]";
        String groupsThenLast = "(" + GROUP + ":)*(" + GROUP + "|" + EMBEDDED_IPV4 + ")";
        return "(" + ip + ".contains(':') && " + matchesWhole(ip, "[0-9A-Fa-f:.]+")
                + " && (!" + ip + ".contains('.') || size(" + ip + ") - " + ip + ".lastIndexOf(':') <= "
                + (MAX_EMBEDDED_IPV4_LENGTH + 1) + ")"
                + " && (size(" + halves + ") == 1 ? "
                + matchesWhole(ip, "(" + GROUP + ":){7}" + GROUP + "|(" + GROUP + ":){6}" + EMBEDDED_IPV4)
                + " : size(" + halves + ") == 2"
                + " && (" + head + " == '' || " + matchesWhole(head, "(" + GROUP + ":)*" + GROUP) + ")"
                + " && (" + tail + " == '' || " + matchesWhole(tail, groupsThenLast) + ")"
                + " && " + groupCount(head) + " + " + groupCount(tail) + " <= 7))";
    }

    /** How many 16-bit groups a run of IPv6 groups holds (an IPv4 tail is two). */
    private static String groupCount(String run) {
        return "(" + run + " == '' ? 0 : size(" + run + ".split(':')) + (" + run + ".contains('.') ? 1 : 0))";
    }

    /** The IPv4 address in the CEL string {@code ip} (a valid literal) as an integer. */
    static String ipv4Value(String ip) {
        String part = ip + ".split('.')";
        return "(int(" + part + "[0]) * 16777216 + int(" + part + "[1]) * 65536 + int(" + part + "[2]) * 256 + int("
                + part + "[3]))";
    }
}
