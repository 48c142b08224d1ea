package io.proxyguard.engine.proxy;

/** Where a workload's {@code HTTPS_PROXY} points: a host (IP literal or name) and a port. */
public record ProxyEndpoint(String host, int port) {
}
