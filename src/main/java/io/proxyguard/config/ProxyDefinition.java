package io.proxyguard.config;

import io.proxyguard.engine.model.IpBlock;

import java.util.List;

/** A legacy proxy that workloads use: its IP literal, its port and the placeholder hosts that name it. */
public record ProxyDefinition(String name, String address, int port, List<String> hosts) {

    public ProxyDefinition {
        hosts = List.copyOf(hosts);
    }

    /** The proxy's IP as a single-host block ({@code 10.10.0.5/32}). */
    public IpBlock block() {
        return IpBlock.parse(address).orElseThrow(() -> new IllegalStateException("not an IP: " + address));
    }

    /** {@code corp-proxy (10.10.0.5:3128)}, the way messages name a proxy. */
    public String display() {
        String ip = block().isIpv6() ? "[" + block().addressText() + "]" : block().addressText();
        return name + " (" + ip + ":" + port + ")";
    }
}
