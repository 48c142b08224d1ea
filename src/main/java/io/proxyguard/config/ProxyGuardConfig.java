package io.proxyguard.config;

import io.proxyguard.engine.Severity;
import io.proxyguard.engine.mesh.MeshSettings;
import io.proxyguard.engine.model.IpBlock;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ProxyGuard's configuration: the proxies workloads use, which entries count as proxy entries, which
 * hosts go through a proxy when no workload says otherwise, which ports carry web traffic and which address
 * ranges are the cluster's own, per-rule severity overrides, and the mesh settings to assume where the input
 * (or the cluster) has no mesh ConfigMap. Immutable; see {@link ConfigLoader}.
 */
public record ProxyGuardConfig(
        List<ProxyDefinition> proxies,
        Set<Integer> proxyPorts,
        List<HostPattern> proxiedHosts,
        List<HostPattern> noProxy,
        WebPorts webPorts,
        List<IpBlock> clusterRanges,
        Map<String, Severity> rules,
        MeshSettings mesh) {

    public static final Set<Integer> DEFAULT_PROXY_PORTS = Set.of(3128);
    public static final List<String> DEFAULT_PROXIED_HOSTS = List.of("*");
    public static final List<String> DEFAULT_NO_PROXY = List.of(".cluster.local", ".svc", "localhost");

    public ProxyGuardConfig {
        proxies = List.copyOf(proxies);
        proxyPorts = Set.copyOf(proxyPorts);
        proxiedHosts = List.copyOf(proxiedHosts);
        noProxy = List.copyOf(noProxy);
        clusterRanges = List.copyOf(clusterRanges);
        rules = Map.copyOf(rules);
    }

    /** The configuration in force when no file is given. */
    public static ProxyGuardConfig defaults() {
        return new ProxyGuardConfig(List.of(), DEFAULT_PROXY_PORTS,
                DEFAULT_PROXIED_HOSTS.stream().map(HostPattern::proxied).toList(),
                DEFAULT_NO_PROXY.stream().map(HostPattern::noProxy).toList(),
                WebPorts.DEFAULTS, List.of(), Map.of(), MeshSettings.DEFAULTS);
    }

    /** The rule's severity: the override when configured, else its default. */
    public Severity severityOf(String ruleId, Severity defaultSeverity) {
        return rules.getOrDefault(ruleId, defaultSeverity);
    }

    /**
     * True when, by the configuration alone, workloads reach {@code host} through a proxy: it matches proxiedHosts
     * and not noProxy. PG107 asks this only when no workload in view can see the entry.
     */
    public boolean isProxied(String host) {
        return proxiedHosts.stream().anyMatch(p -> p.matches(host)) && noProxy.stream().noneMatch(p -> p.matches(host));
    }

    /** The configured proxy whose placeholder hosts include {@code host}. */
    public Optional<ProxyDefinition> proxyNamedBy(String host) {
        return proxies.stream().filter(p -> p.hosts().stream().anyMatch(h -> h.equalsIgnoreCase(host))).findFirst();
    }
}
