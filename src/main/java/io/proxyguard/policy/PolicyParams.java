package io.proxyguard.policy;

import io.proxyguard.config.ProxyDefinition;
import io.proxyguard.config.ProxyGuardConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The policy's parameters: the {@code data} of the ConfigMap that {@code paramRef} names, derived from the same
 * configuration the engine reads. Everything that changes with the proxies lives here, so the policy's text
 * never does. ConfigMap values are strings: lists are comma-separated.
 *
 * <ul>
 *   <li>{@code proxyAddresses}: the configured IPv4 proxies as {@code IP:PORT} (IPv6 proxies need {@code cidr()},
 *       which Kubernetes only has from 1.31: the webhook matches them);</li>
 *   <li>{@code proxyHosts}: every configured proxy's placeholder hosts, lower case;</li>
 *   <li>{@code proxyPorts}: the ports that make a MESH_EXTERNAL entry a proxy entry;</li>
 *   <li>{@code PG101} ... {@code PG108}: each rule's severity ({@code deny}, {@code warn}, {@code off}).</li>
 * </ul>
 */
public final class PolicyParams {

    public static final String PROXY_ADDRESSES = "proxyAddresses";
    public static final String PROXY_HOSTS = "proxyHosts";
    public static final String PROXY_PORTS = "proxyPorts";

    private PolicyParams() {
    }

    /** The ConfigMap data for {@code config}; fails on a host a comma-separated list cannot carry. */
    public static Map<String, String> from(ProxyGuardConfig config) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(PROXY_ADDRESSES, config.proxies().stream().filter(p -> !p.block().isIpv6())
                .map(p -> p.block().addressText() + ":" + p.port()).collect(Collectors.joining(",")));
        data.put(PROXY_HOSTS, config.proxies().stream().map(ProxyDefinition::hosts).flatMap(List::stream)
                .map(PolicyParams::host).distinct().collect(Collectors.joining(",")));
        data.put(PROXY_PORTS, config.proxyPorts().stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
        for (RuleExpression rule : PolicyRules.all()) {
            data.put(rule.ruleId(), config.severityOf(rule.ruleId(), PolicyRules.defaultSeverity(rule.ruleId())).label());
        }
        return data;
    }

    private static String host(String host) {
        if (host.contains(",")) {
            throw new IllegalArgumentException("proxy host '" + host + "' contains a comma: it cannot be a policy parameter");
        }
        return host.trim().toLowerCase(Locale.ROOT);
    }
}
