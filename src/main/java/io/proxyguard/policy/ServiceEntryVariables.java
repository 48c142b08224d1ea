package io.proxyguard.policy;

import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.proxy.ProxyDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The policy's shared sub-expressions, in the order the API server evaluates them: the ServiceEntry's fields
 * with Istio's defaults (every optional field guarded with {@code has()}), the parameters (ConfigMap
 * {@code data}, see {@link PolicyParams}), every address read as ProxyGuard reads it, and the engine's
 * proxy-entry detection: the {@code proxyguard.io/proxy} annotation ({@code "false"} opts out), a configured IPv4
 * proxy's address and port, a configured proxy host, or MESH_EXTERNAL on a proxy port.
 */
final class ServiceEntryVariables {

    /**
     * Each address as written ({@code raw}), trimmed ({@code text}), its IP part, whether a prefix length is written
     * and its text, and the IP part split at {@code ::}. Kubernetes' CEL wants map literals whose values share one type,
     * hence {@code dyn()} around each.
     */
    private static final String RAW_BLOCKS = "variables.addresses.map(a, {'raw': dyn(a), 'text': dyn(a.trim()), "
            + "'ip': dyn(a.trim().split('/')[0]), 'explicit': dyn(a.trim().contains('/')), "
            + "'prefix': dyn(a.trim().contains('/') ? a.trim().substring(a.trim().indexOf('/') + 1) : ''), "
            + "'halves': dyn(a.trim().split('/')[0].split('::'))})";

    private ServiceEntryVariables() {
    }

    /** The variables, after the policy's own {@code action} variable. */
    static List<PolicyVariable> all() {
        List<PolicyVariable> variables = new ArrayList<>();
        variables.add(new PolicyVariable("settings", "params != null && has(params.data) ? params.data : {}"));
        variables.add(new PolicyVariable("severities", severities()));
        String annotations = "object.metadata.annotations";
        variables.add(new PolicyVariable("annotation", "has(" + annotations + ") && " + Cel.quote(ProxyDetector.ANNOTATION)
                + " in " + annotations + " ? " + annotations + "[" + Cel.quote(ProxyDetector.ANNOTATION)
                + "].trim().lowerAscii() : ''"));
        variables.add(new PolicyVariable("spec", "has(object.spec) ? object.spec : {}"));
        variables.add(field("hosts", "[]"));
        variables.add(field("addresses", "[]"));
        variables.add(field("ports", "[]"));
        variables.add(field("resolution", "'NONE'"));
        variables.add(field("location", "'MESH_EXTERNAL'"));
        variables.add(new PolicyVariable("portNumbers", "variables.ports.filter(p, has(p.number)).map(p, p.number)"));
        variables.add(new PolicyVariable("proxyPorts", setting(PolicyParams.PROXY_PORTS, ProxyGuardConfig.DEFAULT_PROXY_PORTS
                .stream().sorted().map(String::valueOf).collect(Collectors.joining(","))) + ".map(s, int(s))"));
        variables.add(new PolicyVariable("proxyHosts", setting(PolicyParams.PROXY_HOSTS, "") + ".map(h, h.lowerAscii())"));
        variables.add(new PolicyVariable("proxies", setting(PolicyParams.PROXY_ADDRESSES, "")
                + ".map(s, [" + Cel.ipv4Value("s.split(':')[0]") + ", int(s.split(':')[1])])"));
        variables.add(new PolicyVariable("rawBlocks", RAW_BLOCKS));
        variables.add(new PolicyVariable("typedBlocks", "variables.rawBlocks.map(b, {'raw': b.raw, 'text': b.text, "
                + "'explicit': b.explicit, 'prefix': b.prefix, 'ip': b.ip, 'family': dyn("
                + Cel.matchesWhole("b.ip", Cel.IPV4) + " ? 4 : (" + Cel.isIpv6("b.ip", "b.halves") + " ? 6 : 0))})"));
        variables.add(new PolicyVariable("blocks", "variables.typedBlocks.map(b, {'raw': b.raw, 'text': b.text, "
                + "'explicit': b.explicit, 'ip': b.ip, 'family': b.family, 'bits': dyn(b.family == 4 ? 32 : 128), "
                + "'length': dyn(b.family == 0 ? -1 : (!b.explicit ? (b.family == 4 ? 32 : 128) : ("
                + Cel.matchesWhole("b.prefix", "[0-9]{1,3}") + " && int(b.prefix) <= (b.family == 4 ? 32 : 128) "
                + "? int(b.prefix) : -1)))})"));
        variables.add(new PolicyVariable("powersOfTwo", IntStream.rangeClosed(0, 32)
                .mapToObj(i -> Long.toString(1L << i)).collect(Collectors.joining(", ", "[", "]"))));
        variables.add(new PolicyVariable("holdsProxyAddress", "variables.blocks.exists(b, b.family == 4 && b.length >= 0 "
                + "&& variables.proxies.exists(p, p[1] in variables.portNumbers && "
                + Cel.ipv4Value("b.ip") + " / variables.powersOfTwo[32 - b.length] == p[0] / variables.powersOfTwo[32 - b.length]))"));
        variables.add(new PolicyVariable("isProxyEntry", "variables.annotation != 'false' && (variables.holdsProxyAddress"
                + " || variables.hosts.exists(h, h.lowerAscii() in variables.proxyHosts)"
                + " || variables.annotation == 'true'"
                + " || (variables.location == 'MESH_EXTERNAL' && variables.portNumbers.exists(n, n in variables.proxyPorts)))"));
        return List.copyOf(variables);
    }

    /** {@code spec.NAME}, or Istio's default when unset. */
    private static PolicyVariable field(String name, String unset) {
        return new PolicyVariable(name, "has(variables.spec." + name + ") ? variables.spec." + name + " : " + unset);
    }

    /**
     * A comma-separated parameter as a list of trimmed, non-empty strings; {@code absent} (the configuration's default)
     * when a hand-written ConfigMap leaves the key out.
     */
    private static String setting(String key, String absent) {
        return "(" + Cel.quote(key) + " in variables.settings ? variables.settings[" + Cel.quote(key) + "] : " + Cel.quote(absent) + ")"
                + ".split(',').map(s, s.trim()).filter(s, s != '')";
    }

    /** Each rule's severity from the parameters, else the rule's default. */
    private static String severities() {
        return PolicyRules.all().stream()
                .map(rule -> Cel.quote(rule.ruleId()) + ": " + Cel.quote(rule.ruleId()) + " in variables.settings ? variables.settings["
                        + Cel.quote(rule.ruleId()) + "].trim().lowerAscii() : " + Cel.quote(PolicyRules.defaultSeverity(rule.ruleId()).label()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
