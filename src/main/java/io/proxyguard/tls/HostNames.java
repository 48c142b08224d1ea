package io.proxyguard.tls;

import org.bouncycastle.util.IPAddress;

import java.util.List;
import java.util.regex.Pattern;

/** The names a webhook's serving certificate must carry, and the checks on names given by hand. */
public final class HostNames {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*");

    private HostNames() {
    }

    /**
     * The DNS names the API server may use to reach Service {@code name} in {@code namespace}:
     * {@code name}, {@code name.ns}, {@code name.ns.svc} (what it dials) and {@code name.ns.svc.cluster.local}.
     */
    public static List<String> forService(String name, String namespace) {
        return List.of(name, name + "." + namespace, name + "." + namespace + ".svc", name + "." + namespace + ".svc.cluster.local");
    }

    /** A Kubernetes object name that is also a DNS label (RFC 1123): what Service and Namespace names are. */
    public static boolean isDnsLabel(String text) {
        return text != null && DNS_LABEL.matcher(text).matches();
    }

    /** A DNS name, optionally with a leading {@code *.} wildcard label, at most 253 characters. */
    public static boolean isDnsName(String text) {
        return text != null && text.length() <= 253 && DNS_NAME.matcher(text).matches();
    }

    /** An IPv4 or IPv6 address literal (no lookup is made). */
    public static boolean isIpAddress(String text) {
        return text != null && IPAddress.isValid(text);
    }
}
