package io.proxyguard.engine.proxy;

import io.proxyguard.config.ProxyDefinition;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.model.IpBlock;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryLocation;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a ServiceEntry describes a legacy proxy. An entry is a proxy entry when it is annotated
 * {@code proxyguard.io/proxy: "true"}; when an address holds a configured proxy's IP and a port is that
 * proxy's port; when a host is a configured proxy host; when it is MESH_EXTERNAL with a port in
 * {@code proxyPorts}; or when it matches a proxy that workloads use. {@code "false"} opts it out.
 */
public final class ProxyDetector {

    public static final String ANNOTATION = "proxyguard.io/proxy";

    private final ProxyGuardConfig config;

    public ProxyDetector(ProxyGuardConfig config) {
        this.config = config;
    }

    public ProxyGuardConfig config() {
        return config;
    }

    /** True when the entry carries {@code proxyguard.io/proxy: "false"}: no PG1xx rule looks at it. */
    public static boolean isOptedOut(ServiceEntryFacts entry) {
        return "false".equalsIgnoreCase(entry.object().annotation(ANNOTATION).trim());
    }

    /**
     * The reason the entry is a proxy entry, or empty. {@code workloadProxies} are the proxies workloads
     * are known to use (from their {@code HTTPS_PROXY}/{@code HTTP_PROXY}).
     */
    public Optional<ProxyMatch> detect(ServiceEntryFacts entry, Set<ProxyEndpoint> workloadProxies) {
        if (isOptedOut(entry)) {
            return Optional.empty();
        }
        Optional<ProxyDefinition> byAddress = config.proxies().stream().filter(p -> holdsAddressAndPort(entry, p)).findFirst();
        if (byAddress.isPresent()) {
            return match("its address and port are those of proxy " + byAddress.get().name(), byAddress);
        }
        Optional<ProxyDefinition> byHost = entry.hosts().stream().map(config::proxyNamedBy).flatMap(Optional::stream).findFirst();
        if (byHost.isPresent()) {
            return match("its host names proxy " + byHost.get().name(), byHost);
        }
        Optional<ProxyDefinition> byPort = soleProxyOnPorts(entry.portNumbers());
        if ("true".equalsIgnoreCase(entry.object().annotation(ANNOTATION).trim())) {
            return match("it is annotated " + ANNOTATION + "=true", byPort);
        }
        if (entry.location() == ServiceEntryLocation.MESH_EXTERNAL
                && entry.portNumbers().stream().anyMatch(config.proxyPorts()::contains)) {
            return match("it is MESH_EXTERNAL on a proxy port " + config.proxyPorts(), byPort);
        }
        return workloadProxies.stream()
                .filter(endpoint -> holds(entry, endpoint.host(), endpoint.port()))
                .findFirst()
                .flatMap(endpoint -> match("workloads use it as their proxy (" + endpoint.host() + ":" + endpoint.port() + ")", byPort));
    }

    private static Optional<ProxyMatch> match(String reason, Optional<ProxyDefinition> proxy) {
        return Optional.of(new ProxyMatch(reason, proxy));
    }

    private static boolean holdsAddressAndPort(ServiceEntryFacts entry, ProxyDefinition proxy) {
        return holds(entry, proxy.block().address(), proxy.port());
    }

    private static boolean holds(ServiceEntryFacts entry, String ip, int port) {
        return IpBlock.parseLiteral(ip).filter(address -> holds(entry, address, port)).isPresent();
    }

    private static boolean holds(ServiceEntryFacts entry, byte[] address, int port) {
        return entry.portNumbers().contains(port)
                && entry.ipBlocks().stream().anyMatch(b -> b.block().contains(address));
    }

    /** The configured proxy listening on one of these ports, when exactly one does. */
    private Optional<ProxyDefinition> soleProxyOnPorts(List<Integer> ports) {
        List<ProxyDefinition> candidates = config.proxies().stream().filter(p -> ports.contains(p.port())).toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }
}
