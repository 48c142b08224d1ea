package io.proxyguard.config;

import io.proxyguard.engine.workload.WebScheme;

import java.util.Optional;
import java.util.Set;

/**
 * The port numbers on which a ServiceEntry port whose protocol does not say HTTP (TLS, TCP, or unset) is taken as
 * web traffic, which HTTP clients may send through a proxy (PG107): {@code https} ports (443, 8443) and
 * {@code http} ones (80, 8080). A TCP port elsewhere (SSH on 22, a database) is never sent through HTTPS_PROXY.
 */
public record WebPorts(Set<Integer> https, Set<Integer> http) {

    public static final WebPorts DEFAULTS = new WebPorts(Set.of(443, 8443), Set.of(80, 8080));

    public WebPorts {
        https = Set.copyOf(https);
        http = Set.copyOf(http);
    }

    /** The scheme of a web port, or empty for any other port. */
    public Optional<WebScheme> schemeOf(int port) {
        if (https.contains(port)) {
            return Optional.of(WebScheme.HTTPS);
        }
        return http.contains(port) ? Optional.of(WebScheme.HTTP) : Optional.empty();
    }
}
