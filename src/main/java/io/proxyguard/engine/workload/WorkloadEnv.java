package io.proxyguard.engine.workload;

import java.util.List;

/**
 * The proxy environments of a workload's containers that set a proxy variable, in container order: what decides
 * where its HTTP clients send external requests. Containers without a proxy variable are left out: they are taken
 * not to call external hosts (an injected log shipper, an init container), or every workload with one would count
 * as reaching every host directly. Workloads with equal environments are judged once.
 */
public record WorkloadEnv(List<ProxyEnvironment> containers) {

    public WorkloadEnv {
        containers = List.copyOf(containers);
    }

    public static WorkloadEnv of(List<ContainerEnv> containers) {
        return new WorkloadEnv(containers.stream().filter(c -> !c.proxies().isEmpty()).map(ProxyEnvironment::of).distinct().toList());
    }

    /**
     * Directly when no container sets a proxy variable or one of them reaches the host directly; unknown when one
     * of them cannot be told; else through the first container's proxy.
     */
    public Route route(String host, int port, WebScheme scheme) {
        Route proxied = null;
        Route unknown = null;
        for (ProxyEnvironment container : containers) {
            Route route = container.route(host, port, scheme);
            switch (route.kind()) {
                case DIRECT -> {
                    return route;
                }
                case UNKNOWN -> unknown = unknown == null ? route : unknown;
                case PROXIED -> proxied = proxied == null ? route : proxied;
            }
        }
        if (unknown != null) {
            return unknown;
        }
        return proxied != null ? proxied : Route.direct("no container sets a proxy variable");
    }
}
