package io.proxyguard.probe;

import io.proxyguard.config.ProxyDefinition;

/** A proxy to probe: the name reports and metrics use, and where it listens. */
public record ProbedProxy(String name, HostPort address) {

    /** A proxy from {@code --proxy}: named by its address. */
    public static ProbedProxy at(HostPort address) {
        return new ProbedProxy(address.toString(), address);
    }

    /** A proxy from the configuration file. */
    public static ProbedProxy of(ProxyDefinition definition) {
        return new ProbedProxy(definition.name(), new HostPort(definition.address(), definition.port()));
    }

    /** {@code corp-proxy (10.10.0.5:3128)}, or just the address when that is the name. */
    public String display() {
        return name.equals(address.toString()) ? name : name + " (" + address + ")";
    }
}
