package io.proxyguard.probe;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to probe: the targets to CONNECT to, the time each step may take, whether the proxy itself speaks
 * TLS, what to trust for the proxy's and the targets' certificates, and the proxy credentials if any.
 */
public record ProbeSettings(
        List<HostPort> targets,
        Duration timeout,
        boolean tlsToProxy,
        TlsTrust proxyTrust,
        TlsTrust targetTrust,
        Optional<ProxyCredentials> credentials) {

    /** The guide's own check: CONNECT en.wikipedia.org:443. */
    public static final HostPort DEFAULT_TARGET = new HostPort("en.wikipedia.org", 443);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public ProbeSettings {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target is needed");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** The default target, a 5 s timeout, a plain-HTTP proxy, the JDK trust store and no credentials. */
    public static ProbeSettings defaults() {
        return new ProbeSettings(List.of(DEFAULT_TARGET), DEFAULT_TIMEOUT, false,
                TlsTrust.jdkDefault(), TlsTrust.jdkDefault(), Optional.empty());
    }

    public ProbeSettings withTargets(List<HostPort> newTargets) {
        return new ProbeSettings(newTargets, timeout, tlsToProxy, proxyTrust, targetTrust, credentials);
    }

    public ProbeSettings withTimeout(Duration newTimeout) {
        return new ProbeSettings(targets, newTimeout, tlsToProxy, proxyTrust, targetTrust, credentials);
    }

    public ProbeSettings withTargetTrust(TlsTrust trust) {
        return new ProbeSettings(targets, timeout, tlsToProxy, proxyTrust, trust, credentials);
    }

    public ProbeSettings withProxyTls(TlsTrust trust) {
        return new ProbeSettings(targets, timeout, true, trust, targetTrust, credentials);
    }

    public ProbeSettings withCredentials(ProxyCredentials newCredentials) {
        return new ProbeSettings(targets, timeout, tlsToProxy, proxyTrust, targetTrust, Optional.of(newCredentials));
    }

    /** Removes the password (and its encodings) from text that is about to be shown. */
    public String redact(String text) {
        return credentials.map(c -> c.redact(text)).orElse(text);
    }
}
