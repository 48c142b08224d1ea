package io.proxyguard.engine.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address or CIDR block as written in a ServiceEntry's {@code addresses}: {@code 10.0.0.5},
 * {@code 10.0.0.5/32}, {@code 2001:db8::1/128}. Parsing never touches DNS: only literals are accepted.
 */
public record IpBlock(String text, byte[] address, int prefixLength, boolean explicitPrefix) {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    /** The block written as {@code text}, or empty when it is not an IP literal or CIDR. */
    public static Optional<IpBlock> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String ip = slash < 0 ? trimmed : trimmed.substring(0, slash);
        Optional<byte[]> bytes = parseLiteral(ip);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int bits = bytes.get().length * 8;
        if (slash < 0) {
            return Optional.of(new IpBlock(trimmed, bytes.get(), bits, false));
        }
        String prefix = trimmed.substring(slash + 1);
        if (!PREFIX.matcher(prefix).matches()) {
            return Optional.empty();
        }
        int length = Integer.parseInt(prefix);
        if (length > bits) {
            return Optional.empty();
        }
        return Optional.of(new IpBlock(trimmed, bytes.get(), length, true));
    }

    /** An address's canonical text, as {@link #addressText()} writes it. */
    public static String format(byte[] ip) {
        return new IpBlock("", ip, ip.length * 8, false).addressText();
    }

    /** The bytes of an IPv4 or IPv6 literal (no brackets, no zone), or empty. */
    public static Optional<byte[]> parseLiteral(String ip) {
        byte[] ipv4 = ipv4(ip);
        if (ipv4 != null) {
            return Optional.of(ipv4);
        }
        if (ip.indexOf(':') >= 0 && IPV6_CHARS.matcher(ip).matches()) {
            try {
                // With a ':' and only hex digits, dots and colons, InetAddress parses a literal and never resolves.
                byte[] bytes = InetAddress.getByName(ip).getAddress();
                return Optional.of(bytes.length == 16 ? bytes : ipv4Mapped(bytes));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The four bytes of a dotted-quad literal, or null: exactly four decimal parts of 0 to 255 without
     * leading zeros ({@code 010} could mean octal to another parser, so it is not an address here).
     */
    private static byte[] ipv4(String ip) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= ip.length(); i++) {
            char c = i < ip.length() ? ip.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null;
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && part < 4) {
                bytes[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    /** {@code ::ffff:a.b.c.d}: Java hands these back as IPv4, but they were written (and are routed) as IPv6. */
    private static byte[] ipv4Mapped(byte[] ipv4) {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, mapped, 12, 4);
        return mapped;
    }

    public boolean isIpv6() {
        return address.length == 16;
    }

    /** True when the block names exactly one host: a bare IP, a /32 or a /128. */
    public boolean isSingleHost() {
        return prefixLength == address.length * 8;
    }

    /** The address alone, in canonical text ({@code 2001:db8::1}, not {@code 2001:0db8:0:0:0:0:0:1}). */
    public String addressText() {
        try {
            InetAddress inet = InetAddress.getByAddress(address);
            String canonical = inet.getHostAddress();
            if (isIpv6() && inet instanceof java.net.Inet4Address) {
                return "::ffff:" + canonical;
            }
            return isIpv6() ? compressIpv6(canonical) : canonical;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The address with its host prefix: {@code 10.0.0.5/32} or {@code 2001:db8::1/128}. */
    public String hostCidr() {
        return addressText() + "/" + address.length * 8;
    }

    /** True when {@code ip} (raw bytes of the same family) lies inside this block. */
    public boolean contains(byte[] ip) {
        if (ip.length != address.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (ip[i] != address[i]) {
                return false;
            }
        }
        int restBits = prefixLength % 8;
        if (restBits == 0) {
            return true;
        }
        int mask = 0xff << (8 - restBits) & 0xff;
        return (ip[fullBytes] & mask) == (address[fullBytes] & mask);
    }

    private static String compressIpv6(String full) {
        // Java prints every group; collapse the longest run of zero groups as RFC 5952 asks.
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; i++) {
            groups[i] = groups[i].replaceFirst("^0+(?=.)", "");
            int run = 0;
            while (i + run < groups.length && groups[i + run].replaceFirst("^0+(?=.)", "").equals("0")) {
                run++;
            }
            if (run > bestLength && run > 1) {
                bestStart = i;
                bestLength = run;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpBlock block && block.prefixLength == prefixLength
                && java.util.Arrays.equals(block.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(address) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
