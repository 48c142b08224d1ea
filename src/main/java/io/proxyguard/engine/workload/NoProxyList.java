package io.proxyguard.engine.workload;

import io.proxyguard.engine.model.IpBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code NO_PROXY} value read the way curl reads it (lib/noproxy.c, {@code Curl_check_noproxy}, curl 7.86 and
 * later):
 * <ul>
 *   <li>the value {@code *}, alone, sends every host directly; a {@code *} among other entries is just a name;</li>
 *   <li>entries are separated by commas, blanks (space, tab) around them are skipped, and a blank ends the list
 *       unless a comma follows it: {@code "a, b"} holds a and b, {@code "a b"} holds only a;</li>
 *   <li>a host name matches an entry equal to it or to one of its parent domains, ignoring case and one trailing
 *       dot on both sides and one leading dot of the entry: {@code .example.com} and {@code example.com} both
 *       match example.com and www.example.com, never notexample.com;</li>
 *   <li>an IP address (an IPv6 one in brackets, as in a URL) matches entries of its family, bare or as CIDR;
 *       no prefix, or {@code /0}, means that one address;</li>
 *   <li>nothing else: curl strips no port from an entry and knows no {@code *.} wildcard, so {@code host:443}
 *       and {@code *.example.com} are names that no host name equals, and match nothing.</li>
 * </ul>
 * Other clients read those last two forms: Go's net/http uses {@code host:443} for port 443 and {@code *.domain}
 * as {@code .domain}, Python's urllib matches {@code host:port} when the URL names the port.
 * {@link #entryCurlIgnoresFor} finds such entries, so that a caller can tell "curl proxies it" from "every client
 * proxies it".
 */
public record NoProxyList(String value, List<String> entries) {

    public NoProxyList {
        entries = List.copyOf(entries);
    }

    public static NoProxyList parse(String value) {
        String text = value == null ? "" : value;
        List<String> entries = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            i = skipBlanks(text, i);
            int start = i;
            while (i < text.length() && !isBlank(text.charAt(i)) && text.charAt(i) != ',') {
                i++;
            }
            if (i > start) {
                entries.add(text.substring(start, i));
            }
            i = skipBlanks(text, i);
            if (i >= text.length() || text.charAt(i) != ',') {
                break;
            }
            while (i < text.length() && text.charAt(i) == ',') {
                i++;
            }
        }
        return new NoProxyList(text, entries);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static int skipBlanks(String text, int from) {
        int i = from;
        while (i < text.length() && isBlank(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** True when {@code "*"} alone: no host goes through the proxy. */
    public boolean bypassesAll() {
        return value.equals("*");
    }

    /**
     * True when curl sends a request for {@code name} directly: {@code name} is a URL's host, a DNS name, an IPv4
     * address or a bracketed IPv6 address.
     */
    public boolean bypasses(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        if (bypassesAll()) {
            return true;
        }
        Optional<byte[]> ip = ipOf(name);
        if (name.startsWith("[") && ip.isEmpty()) {
            return false;
        }
        String host = withoutTrailingDot(name);
        for (String entry : entries) {
            if (ip.isPresent() ? ipMatches(entry, ip.get()) : domainMatches(domainOf(entry), host)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when curl sends some name that a ServiceEntry host stands for directly: the host itself, or for a
     * wildcard host {@code *.example.com}, one of the names under example.com (all of them when an entry covers
     * example.com, or just one when an entry names it).
     */
    public boolean bypassesSomeOf(String entryHost) {
        if (!entryHost.startsWith("*.")) {
            return bypasses(entryHost);
        }
        String domain = withoutTrailingDot(entryHost.substring(2));
        if (bypasses(domain)) {
            return true; // an entry for the domain or a parent covers every name under it
        }
        return entries.stream().filter(entry -> entry.indexOf('*') < 0).map(NoProxyList::domainOf)
                .anyMatch(name -> name.length() > domain.length() && domainMatches(domain, name));
    }

    /**
     * An entry curl ignores but that was written for {@code entryHost}: {@code host:port} with this {@code port}
     * and a host that covers it, or {@code *.domain} with a domain that covers it. Clients other than curl send
     * the request directly because of it.
     */
    public Optional<String> entryCurlIgnoresFor(String entryHost, int port) {
        for (String entry : entries) {
            Optional<String> meant = meantDomain(entry, port);
            if (meant.isPresent() && NoProxyList.parse(meant.get()).bypassesSomeOf(entryHost)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** The domain other clients read in {@code host:port} (for this port) or {@code *.domain}, if the entry is one. */
    private static Optional<String> meantDomain(String entry, int port) {
        if (entry.startsWith("*.") && entry.length() > 2) {
            return Optional.of(entry.substring(1));
        }
        int colon = entry.lastIndexOf(':');
        if (colon > 0 && entry.indexOf(':') == colon && entry.substring(colon + 1).equals(Integer.toString(port))) {
            return Optional.of(entry.substring(0, colon));
        }
        return Optional.empty();
    }

    /** The entry as a domain: one trailing dot, then one leading dot, dropped. */
    private static String domainOf(String entry) {
        String domain = withoutTrailingDot(entry);
        return domain.startsWith(".") ? domain.substring(1) : domain;
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** {@code host} is {@code domain} or a name under it, ignoring case. */
    private static boolean domainMatches(String domain, String host) {
        if (domain.length() == host.length()) {
            return domain.equalsIgnoreCase(host);
        }
        return domain.length() < host.length() && host.charAt(host.length() - domain.length() - 1) == '.'
                && host.regionMatches(true, host.length() - domain.length(), domain, 0, domain.length());
    }

    /** The address of an IPv4 name or a bracketed IPv6 name; a bare IPv6 name is a host name to curl. */
    private static Optional<byte[]> ipOf(String name) {
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end < 0 ? Optional.empty() : IpBlock.parseLiteral(name.substring(1, end)).filter(ip -> ip.length == 16);
        }
        return IpBlock.parseLiteral(name).filter(ip -> ip.length == 4 && name.indexOf(':') < 0);
    }

    /** An entry {@code ADDRESS} or {@code ADDRESS/BITS} of the same family as {@code ip}, containing it. */
    private static boolean ipMatches(String entry, byte[] ip) {
        int slash = entry.indexOf('/');
        Optional<byte[]> address = IpBlock.parseLiteral(slash < 0 ? entry : entry.substring(0, slash));
        if (address.isEmpty() || address.get().length != ip.length) {
            return false;
        }
        int maxBits = ip.length * 8;
        long bits = slash < 0 ? 0 : leadingNumber(entry.substring(slash + 1));
        if (bits < 0 || bits > maxBits) {
            return false;
        }
        return new IpBlock(entry, address.get(), bits == 0 ? maxBits : (int) bits, true).contains(ip);
    }

    /** What C's atoi reads: an optional sign and the digits that follow it, 0 when there are none; -1 when negative. */
    private static long leadingNumber(String text) {
        int i = 0;
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long number = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && number <= Integer.MAX_VALUE) {
            number = number * 10 + (text.charAt(i) - '0');
            i++;
        }
        return negative && number > 0 ? -1 : number;
    }
}
