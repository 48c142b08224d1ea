package io.proxyguard.engine.workload;

import java.util.List;
import java.util.Optional;

/** A container's proxy variables ({@code HTTPS_PROXY}, ...) and its {@code NO_PROXY}, if any. */
public record ContainerEnv(String container, List<ProxyVariable> proxies, Optional<ProxyVariable> noProxy) {

    public ContainerEnv {
        proxies = List.copyOf(proxies);
    }
}
