package io.proxyguard.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.Severity;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated ServiceEntries (protocols in any case and padding, IPv4 and IPv6 addresses in every form Java and
 * RE2 might read differently, prefixes in and out of range, the ports of configured proxies, the opt-in and
 * opt-out annotation, every resolution and location, all three API versions) under generated severities:
 * the engine and the policy in CEL must agree rule by rule.
 */
class GeneratedAgreementTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> RULES = PolicyRules.all().stream().map(RuleExpression::ruleId).toList();

    @Property(tries = 3000)
    void policyAgreesWithTheEngine(@ForAll("serviceEntries") ObjectNode entry, @ForAll("configurations") ProxyGuardConfig config) {
        assertThat(EngineAgreement.disagreements(entry, config)).as("engine and policy disagree").isEmpty();
    }

    @Provide
    Arbitrary<ProxyGuardConfig> configurations() throws Exception {
        List<ProxyGuardConfig> bases = FixtureAgreementTest.configurations();
        Arbitrary<Map<String, Severity>> overrides = Arbitraries.maps(Arbitraries.of(RULES), Arbitraries.of(Severity.class))
                .ofMaxSize(4);
        return Combinators.combine(Arbitraries.of(bases), overrides).as((base, rules) -> {
            Map<String, Severity> merged = new HashMap<>(base.rules());
            merged.putAll(rules);
            return new ProxyGuardConfig(base.proxies(), base.proxyPorts(), base.proxiedHosts(), base.noProxy(), base.webPorts(),
                    base.clusterRanges(), merged, base.mesh());
        });
    }

    @Provide
    Arbitrary<ObjectNode> serviceEntries() {
        Arbitrary<String> version = Arbitraries.of("v1", "v1beta1", "v1alpha3");
        Arbitrary<String> annotation = Arbitraries.oneOf(Arbitraries.just((String) null),
                Arbitraries.of("true", "false", "TRUE", " False ", "yes", "", "0", " true\t", "falsey"));
        Arbitrary<List<String>> hosts = Arbitraries.of("my-company-proxy.com", "MY-COMPANY-PROXY.COM", "lab-proxy.example.com",
                "api.example.com", "*.example.org", "en.wikipedia.org").list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<String>> addresses = addresses().list().ofMaxSize(3).injectNull(0.2);
        Arbitrary<ArrayNode> ports = port().list().ofMinSize(1).ofMaxSize(3).map(GeneratedAgreementTest::ports).injectNull(0.1);
        Arbitrary<String> resolution = Arbitraries.of("NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS").injectNull(0.4);
        Arbitrary<String> location = Arbitraries.of("MESH_EXTERNAL", "MESH_INTERNAL").injectNull(0.4);
        Arbitrary<Boolean> endpoints = Arbitraries.of(true, false, false, false);
        return Combinators.combine(version, annotation, hosts, addresses, ports, resolution, location, endpoints)
                .as((v, a, h, addr, p, r, l, e) -> {
                    ObjectNode entry = JSON.objectNode().put("apiVersion", "networking.istio.io/" + v).put("kind", "ServiceEntry");
                    ObjectNode metadata = entry.putObject("metadata").put("name", "generated").put("namespace", "egress");
                    if (a != null) {
                        metadata.putObject("annotations").put("proxyguard.io/proxy", a);
                    }
                    ObjectNode spec = entry.putObject("spec");
                    h.forEach(spec.putArray("hosts")::add);
                    if (addr != null) {
                        addr.forEach(spec.putArray("addresses")::add);
                    }
                    if (p != null) {
                        spec.set("ports", p);
                    }
                    if (r != null) {
                        spec.put("resolution", r);
                    }
                    if (l != null) {
                        spec.put("location", l);
                    }
                    if (e) {
                        spec.putArray("endpoints").addObject().put("address", "10.10.0.5");
                    }
                    return entry;
                });
    }

    private static ArrayNode ports(List<ObjectNode> ports) {
        ArrayNode array = JSON.arrayNode();
        for (int i = 0; i < ports.size(); i++) {
            array.add(ports.get(i).put("name", "port-" + i));
        }
        return array;
    }

    private Arbitrary<ObjectNode> port() {
        Arbitrary<Integer> number = Arbitraries.oneOf(Arbitraries.of(3128, 8080, 443, 80), Arbitraries.integers().between(1, 65535));
        Arbitrary<String> protocol = Arbitraries.of("TCP", "tcp", " Tcp ", "TCP\t", "HTTP", "http", "HTTP2", "http_proxy", "GRPC",
                "grpc-web", "TLS", "HTTPS", "MONGO", "", " ", "TCPX", "udp").injectNull(0.2);
        return Combinators.combine(number, protocol).as((n, p) -> {
            ObjectNode port = JSON.objectNode().put("number", n);
            return p == null ? port : port.put("protocol", p);
        });
    }

    /** Addresses as people and tools write them, and as they should not. */
    static Arbitrary<String> addresses() {
        Arbitrary<String> nearProxies = Arbitraries.of("10.10.0.5", "10.10.0.6", "10.10.1.5", "192.168.7.20", "192.168.7.21", "10.0.0.0");
        Arbitrary<String> anyIpv4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(octets -> octets.stream().map(String::valueOf).collect(Collectors.joining(".")));
        Arbitrary<String> ipv4 = Arbitraries.oneOf(nearProxies, anyIpv4);
        Arbitrary<String> ipv4Prefix = Arbitraries.oneOf(Arbitraries.integers().between(0, 33).map(n -> "/" + n),
                Arbitraries.of("", "", "/32", "/032", "/0032", "/", "/abc", "/32/1", "/ 32", "/-1"));
        Arbitrary<String> ipv6Prefix = Arbitraries.oneOf(Arbitraries.integers().between(0, 129).map(n -> "/" + n),
                Arbitraries.of("", "", "/128", "/0128", "/64"));
        Arbitrary<String> odd = Arbitraries.of("proxy.example.com", "10.0.0.256", "010.10.0.5", "10.10.0", "", " ",
                " 10.10.0.5/32 ", "10.10.0.5 /32", "10.10.0.5\t", "[2001:db8::1]", "2001:db8::1%eth0", "10.10.0.5:3128",
                "1.2.3.4.5", "-1.2.3.4", "+1.2.3.4", "0.0.0.0/0", "１0.10.0.5");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Combinators.combine(ipv4, ipv4Prefix).as(String::concat)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(ipv6(), ipv6Prefix).as(String::concat)),
                net.jqwik.api.Tuple.of(1, odd));
    }

    /** IPv6 text: valid in every compressed form, with IPv4 tails, and near misses. */
    static Arbitrary<String> ipv6() {
        Arbitrary<String> known = Arbitraries.of("2001:db8::1", "::1", "::", "fe80::1:2", "1:2:3:4:5:6:7:8", "::ffff:10.10.0.5",
                "2001:DB8:0:0:0:0:0:1", "00000::1", "1:2:3:4:5:6:7::", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "::0001.2.3.4",
                "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9", "12345::", "::256.1.1.1", "::1.2.3", "1:2:3:4:5:6:7::8", "g::1",
                "::00000000255.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4::", "1.2.3.4::", ":::1", "1:::2", "::1:", "1:",
                "::01.2.3.4", "::1.2.3.04", "::1..3.4", "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7", "1:2:3:4:5:6::1.2.3.4");
        Arbitrary<String> group = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(1).ofMaxLength(5);
        Arbitrary<String> tail = Arbitraries.of("", "", "", "1.2.3.4", "10.10.0.5", "01.2.3.4", "256.0.0.1");
        Arbitrary<String> generated = Combinators.combine(group.list().ofMinSize(0).ofMaxSize(9),
                Arbitraries.integers().between(-1, 9), tail).as((groups, compressAt, v4) -> {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < groups.size(); i++) {
                        if (i == compressAt) {
                            text.append(i == 0 ? "::" : ":");
                        } else if (i > 0) {
                            text.append(':');
                        }
                        text.append(groups.get(i));
                    }
                    if (compressAt >= groups.size()) {
                        text.append("::");
                    }
                    if (!v4.isEmpty()) {
                        text.append(text.length() == 0 || text.toString().endsWith(":") ? "" : ":").append(v4);
                    }
                    return text.toString();
                });
        return Arbitraries.oneOf(known, generated);
    }
}
