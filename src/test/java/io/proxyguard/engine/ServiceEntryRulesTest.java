package io.proxyguard.engine;

import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.view.ClusterView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.proxyguard.engine.Fixtures.guideSpec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule, positive and negative, for each networking.istio.io version: the findings (rule ID at field path)
 * must be exactly the expected ones, no more.
 */
class ServiceEntryRulesTest {

    private static final List<String> API_VERSIONS = List.of("v1alpha3", "v1beta1", "v1");
    private static final String NO_PROXIES = "proxyPorts: [3128]\n";

    record Case(String name, String annotations, String spec, String config, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case clean(String name, String spec) {
        return new Case(name, "", spec, Fixtures.EXAMPLE_CONFIG, List.of());
    }

    private static Case finds(String name, String spec, String... expected) {
        return new Case(name, "", spec, Fixtures.EXAMPLE_CONFIG, List.of(expected));
    }

    private static String guideWith(String from, String to) {
        String spec = guideSpec();
        assertThat(spec).contains(from);
        return spec.replace(from, to);
    }

    static List<Case> cases() {
        return List.of(
                clean("the guide's v1 entry", guideSpec()),
                clean("the older guide's entry, resolution unset", guideWith("resolution: NONE\n", "")),
                clean("protocol tcp in lower case", guideWith("protocol: TCP", "protocol: tcp")),
                finds("PG101 HTTP", guideWith("protocol: TCP", "protocol: HTTP"), "PG101@spec.ports[0].protocol"),
                finds("PG101 http in lower case", guideWith("protocol: TCP", "protocol: http"), "PG101@spec.ports[0].protocol"),
                finds("PG101 HTTP2", guideWith("protocol: TCP", "protocol: HTTP2"), "PG101@spec.ports[0].protocol"),
                finds("PG101 HTTP_PROXY", guideWith("protocol: TCP", "protocol: HTTP_PROXY"), "PG101@spec.ports[0].protocol"),
                finds("PG101 GRPC-Web", guideWith("protocol: TCP", "protocol: GRPC-Web"), "PG101@spec.ports[0].protocol"),
                finds("PG101 TLS", guideWith("protocol: TCP", "protocol: TLS"), "PG101@spec.ports[0].protocol"),
                finds("PG101 unset protocol (sniffing)", guideWith("  protocol: TCP\n", ""), "PG101@spec.ports[0].protocol"),
                finds("PG101 second port", guideWith("  protocol: TCP\n", "  protocol: TCP\n- number: 3129\n  name: http-alt\n  protocol: HTTP\n"),
                        "PG101@spec.ports[1].protocol"),
                finds("PG102 bare IPv4", guideWith("10.10.0.5/32", "10.10.0.5"), "PG102@spec.addresses[0]"),
                finds("PG102 bare IPv6", guideWith("10.10.0.5/32", "\"2001:db8::5\""), "PG102@spec.addresses[0]"),
                clean("IPv6 /128", guideWith("10.10.0.5/32", "\"2001:db8::5/128\"")),
                finds("PG103 /24", guideWith("10.10.0.5/32", "10.10.0.0/24"), "PG103@spec.addresses[0]"),
                finds("PG103 IPv6 /64", guideWith("10.10.0.5/32", "\"2001:db8::/64\""), "PG103@spec.addresses[0]"),
                finds("PG103 /0", guideWith("10.10.0.5/32", "0.0.0.0/0"), "PG103@spec.addresses[0]"),
                finds("PG103 not an IP", guideWith("- 10.10.0.5/32", "- 10.10.0.5/32\n- proxy.corp.example"),
                        "PG103@spec.addresses[1]", "PG108@spec.addresses"),
                finds("PG104 no addresses", guideWith("addresses:\n- 10.10.0.5/32\n", ""), "PG104@spec.addresses"),
                finds("PG105 DNS", guideWith("resolution: NONE", "resolution: DNS").replace("10.10.0.5/32", "10.10.0.5"),
                        "PG105@spec.resolution", "PG102@spec.addresses[0]"),
                finds("PG105 DNS_ROUND_ROBIN", guideWith("addresses:\n- 10.10.0.5/32\n", "").replace("resolution: NONE", "resolution: DNS_ROUND_ROBIN"),
                        "PG105@spec.resolution", "PG104@spec.addresses"),
                finds("PG105 DYNAMIC_DNS", guideWith("addresses:\n- 10.10.0.5/32\n", "").replace("resolution: NONE", "resolution: DYNAMIC_DNS"),
                        "PG105@spec.resolution", "PG104@spec.addresses"),
                clean("STATIC resolution is not DNS", guideWith("resolution: NONE", "resolution: STATIC")),
                finds("PG106 MESH_INTERNAL", guideWith("MESH_EXTERNAL", "MESH_INTERNAL"), "PG106@spec.location"),
                finds("PG108 two addresses", guideWith("- 10.10.0.5/32", "- 10.10.0.5/32\n- 10.10.0.6/32"), "PG108@spec.addresses"),
                finds("PG107 host reached through the configured proxy", """
                        hosts:
                        - en.wikipedia.org
                        ports:
                        - number: 443
                          name: tls
                          protocol: TLS
                        resolution: DNS
                        """, "PG107@spec.hosts"),
                clean("no PG107 for a host in noProxy", """
                        hosts:
                        - api.payments.svc
                        ports:
                        - number: 443
                          name: tls
                          protocol: TLS
                        resolution: DNS
                        """),
                clean("no PG107 for a MESH_INTERNAL entry", """
                        hosts:
                        - vm.example.com
                        ports:
                        - number: 443
                          name: tls
                          protocol: TLS
                        location: MESH_INTERNAL
                        resolution: DNS
                        """),
                new Case("no PG107 when no proxy is known", "", """
                        hosts:
                        - en.wikipedia.org
                        ports:
                        - number: 443
                          name: tls
                          protocol: TLS
                        resolution: DNS
                        """, NO_PROXIES, List.of()),
                new Case("no PG107 for a host outside proxiedHosts", "", """
                        hosts:
                        - en.wikipedia.org
                        ports:
                        - number: 443
                          name: tls
                          protocol: TLS
                        resolution: DNS
                        """, Fixtures.EXAMPLE_CONFIG + "proxiedHosts: ['*.corp.example']\n", List.of()),
                clean("a non-proxy entry with HTTP is not ProxyGuard's business", """
                        hosts:
                        - internal-api.corp.example
                        addresses:
                        - 10.20.0.0/16
                        ports:
                        - number: 80
                          name: http
                          protocol: HTTP
                        location: MESH_INTERNAL
                        """),
                new Case("annotation true makes any entry a proxy entry", "proxyguard.io/proxy: \"true\"",
                        guideWith("number: 3128", "number: 8080").replace("protocol: TCP", "protocol: HTTP"),
                        NO_PROXIES, List.of("PG101@spec.ports[0].protocol")),
                new Case("annotation false opts out of every PG1xx rule", "proxyguard.io/proxy: \"false\"",
                        guideWith("protocol: TCP", "protocol: HTTP").replace("10.10.0.5/32", "10.10.0.0/8"),
                        Fixtures.EXAMPLE_CONFIG, List.of()),
                new Case("detected by proxyPorts alone, without configured proxies", "",
                        guideWith("protocol: TCP", "protocol: HTTP"), NO_PROXIES, List.of("PG101@spec.ports[0].protocol")),
                new Case("detected by the configured proxy address on an unusual port", "",
                        guideWith("number: 3128", "number: 8081").replace("protocol: TCP", "protocol: HTTP"),
                        "proxies: [{name: p, address: 10.10.0.5, port: 8081}]\nproxyPorts: []\n", List.of("PG101@spec.ports[0].protocol")),
                new Case("detected by the configured proxy host", "",
                        guideWith("number: 3128", "number: 9000").replace("protocol: TCP", "protocol: HTTP"),
                        Fixtures.EXAMPLE_CONFIG + "proxyPorts: []\n", List.of("PG101@spec.ports[0].protocol")),
                new Case("the proxy's IP on another port with another host is not the proxy", "",
                        guideWith("number: 3128", "number: 443").replace("protocol: TCP", "protocol: TLS")
                                .replace("my-company-proxy.com", "other.corp.example"),
                        Fixtures.EXAMPLE_CONFIG + "proxiedHosts: ['*.internet.example']\n", List.of()),
                new Case("rule severity off drops the rule", "", guideWith("protocol: TCP", "protocol: HTTP"),
                        Fixtures.EXAMPLE_CONFIG + "rules: {PG101: off}\n", List.of()));
    }

    static Stream<Arguments> casesInEveryVersion() {
        return cases().stream().flatMap(c -> API_VERSIONS.stream().map(v -> Arguments.of(c, v)));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesInEveryVersion")
    void findsExactlyTheExpectedRules(Case testCase, String apiVersion) throws InvalidObjectException {
        ProxyGuardConfig config = Fixtures.config(testCase.config());
        Decision decision = new PolicyEngine(config).evaluate(
                Fixtures.serviceEntry(apiVersion, "entry", testCase.annotations(), testCase.spec()), ClusterView.EMPTY);

        assertThat(decision.findings()).map(f -> f.ruleId() + "@" + f.path())
                .containsExactlyInAnyOrderElementsOf(testCase.expected());
        assertThat(decision.findings()).allSatisfy(f -> {
            assertThat(f.message()).hasSizeLessThan(200).doesNotContain("\n");
            assertThat(f.resource().name()).isEqualTo("entry");
        });
    }
}
