package io.proxyguard.config;

import io.proxyguard.engine.model.IpBlock;

import java.util.List;

/**
 * A legacy proxy that workloads use: its IP literal, its port and the placeholder hosts that name it.
 * {@code block} is the address parsed once, as a single-host block.
 */
public record ProxyDefinition(String name, String address, int port, List<String> hosts, IpBlock block) {

    public ProxyDefinition {
        hosts = List.copyOf(hosts);
    }

    /** A proxy at {@code address}, which must be an IPv4 or IPv6 literal. */
    public ProxyDefinition(String name, String address, int port, List<String> hosts) {
        this(name, address, port, hosts, IpBlock.parse(address)
                .filter(b -> b.isSingleHost())
                .orElseThrow(() -> new IllegalArgumentException("not an IP address: " + address)));
    }

    /** {@code corp-proxy (10.10.0.5:3128)}, the way messages name a proxy. */
    public String display() {
        String ip = block.isIpv6() ? "[" + block.addressText() + "]" : block.addressText();
        return name + " (" + ip + ":" + port + ")";
    }
}
