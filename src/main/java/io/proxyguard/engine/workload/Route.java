package io.proxyguard.engine.workload;

import java.util.Optional;

/**
 * Where a workload's HTTP clients send a request for one host and port, as its proxy environment says: through
 * {@code proxy}, directly, or unknown (a value from a Secret, a NO_PROXY entry clients disagree on), and why.
 */
public record Route(Kind kind, Optional<ProxyUrl> proxy, String reason) {

    public enum Kind { PROXIED, DIRECT, UNKNOWN }

    public static Route proxied(ProxyUrl proxy, String reason) {
        return new Route(Kind.PROXIED, Optional.of(proxy), reason);
    }

    public static Route direct(String reason) {
        return new Route(Kind.DIRECT, Optional.empty(), reason);
    }

    public static Route unknown(String reason) {
        return new Route(Kind.UNKNOWN, Optional.empty(), reason);
    }

    public boolean isProxied() {
        return kind == Kind.PROXIED;
    }
}
