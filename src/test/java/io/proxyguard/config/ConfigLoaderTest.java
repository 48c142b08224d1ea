package io.proxyguard.config;

import io.proxyguard.engine.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @Test
    void readsTheDocumentedExample() throws Exception {
        ProxyGuardConfig config = ConfigLoader.load(Path.of("examples/proxyguard.yaml"));

        assertThat(config.proxies()).containsExactly(
                new ProxyDefinition("corp-proxy", "10.10.0.5", 3128, java.util.List.of("my-company-proxy.com")));
        assertThat(config.proxyPorts()).containsExactly(3128);
        assertThat(config.isProxied("en.wikipedia.org")).isTrue();
        assertThat(config.isProxied("api.default.svc")).isFalse();
        assertThat(config.isProxied("api.default.svc.cluster.local")).isFalse();
        assertThat(config.isProxied("localhost")).isFalse();
    }

    @Test
    void meshSectionSetsWhatTheClusterDoesNotSay() throws Exception {
        ProxyGuardConfig config = ConfigLoader.parse("""
                mesh:
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                  rootNamespace: mesh-root
                  defaultServiceExportTo: ["."]
                  istioNamespace: istio-control
                  enableNamespacesByDefault: true
                  unknownNamespacesInjected: false
                """, "mesh.yaml");

        assertThat(config.mesh()).isEqualTo(new io.proxyguard.engine.mesh.MeshSettings(
                io.proxyguard.engine.mesh.OutboundPolicy.REGISTRY_ONLY, "mesh-root",
                io.proxyguard.engine.mesh.ExportTo.of(java.util.List.of(".")), "istio-control", true, false));
    }

    @Test
    void withoutMeshSectionIstioDefaultsAndUnknownNamespacesInjected() throws Exception {
        assertThat(ConfigLoader.parse("proxyPorts: [3128]", "t").mesh()).isEqualTo(io.proxyguard.engine.mesh.MeshSettings.DEFAULTS);
        assertThat(io.proxyguard.engine.mesh.MeshSettings.DEFAULTS.outboundPolicy()).isEqualTo(io.proxyguard.engine.mesh.OutboundPolicy.ALLOW_ANY);
        assertThat(io.proxyguard.engine.mesh.MeshSettings.DEFAULTS.unknownNamespacesInjected()).isTrue();
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        assertThat(ConfigLoader.parse("", "empty")).isEqualTo(ProxyGuardConfig.defaults());
    }

    @Test
    void severityOverridesIncludingYamlOff() throws Exception {
        ProxyGuardConfig config = ConfigLoader.parse("rules: {PG101: warn, PG107: off, PG108: DENY}", "test");

        assertThat(config.rules()).containsEntry("PG101", Severity.WARN)
                .containsEntry("PG107", Severity.OFF).containsEntry("PG108", Severity.DENY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top key              | proxyes: []                                              | proxyes: unknown key
            unknown proxy key            | proxies: [{name: p, address: 10.0.0.1, port: 3128, ip: x}] | proxies[0].ip: unknown key
            host name instead of an IP   | proxies: [{name: p, address: proxy.corp, port: 3128}]    | proxies[0].address: 'proxy.corp' is not an IPv4 or IPv6 address
            CIDR instead of an IP        | proxies: [{name: p, address: 10.0.0.1/32, port: 3128}]   | proxies[0].address: '10.0.0.1/32' is not an IPv4 or IPv6 address
            port out of range            | proxies: [{name: p, address: 10.0.0.1, port: 70000}]    | proxies[0].port: 70000 is out of range 1..65535
            port not a number            | proxyPorts: [http]                                       | proxyPorts[0]: 'http' is not a port number
            missing port                 | proxies: [{name: p, address: 10.0.0.1}]                 | proxies[0].port: required
            missing name                 | proxies: [{address: 10.0.0.1, port: 1}]                  | proxies[0].name: required
            unknown rule                 | rules: {PG999: deny}                                     | rules.PG999: unknown rule ID
            bad severity                 | rules: {PG101: block}                                    | rules.PG101: 'block' is not a severity
            bad host pattern             | noProxy: ['a b']                                         | noProxy[0]: 'a b' is not a host name
            list expected                | proxiedHosts: '*'                                        | proxiedHosts: must be a list
            not a mapping                | '- a'                                                    | must be a mapping
            unknown mesh key             | mesh: {outboundPolicy: REGISTRY_ONLY}                     | mesh.outboundPolicy: unknown key
            bad outbound mode            | mesh: {outboundTrafficPolicy: {mode: DENY_ALL}}          | mesh.outboundTrafficPolicy.mode: 'DENY_ALL' is neither ALLOW_ANY nor REGISTRY_ONLY
            outbound policy not a map    | mesh: {outboundTrafficPolicy: REGISTRY_ONLY}             | mesh.outboundTrafficPolicy: must be a mapping {mode: ALLOW_ANY | REGISTRY_ONLY}
            empty default exportTo       | mesh: {defaultServiceExportTo: []}                       | mesh.defaultServiceExportTo: must be a non-empty list
            flag not a boolean           | mesh: {unknownNamespacesInjected: maybe}                 | mesh.unknownNamespacesInjected: 'maybe' is not true or false
            mesh not a mapping           | mesh: [a]                                                | mesh: must be a mapping
            web ports not a mapping      | webPorts: [443]                                          | webPorts: must be a mapping with keys
            unknown web port scheme      | webPorts: {tls: [443]}                                   | webPorts.tls: unknown key
            web port out of range        | webPorts: {https: [0]}                                   | webPorts.https[0]: 0 is out of range 1..65535
            web port in both schemes     | webPorts: {https: [443, 8080]}                           | webPorts: port 8080 is in both https and http
            cluster range not a CIDR     | clusterRanges: [10.96.0.0/40]                            | clusterRanges[0]: '10.96.0.0/40' is not an IP address or CIDR
            cluster ranges not a list    | clusterRanges: 10.96.0.0/12                              | clusterRanges: must be a list
            """)
    void refusesBadConfigNamingKeyAndProblem(String name, String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "bad.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad.yaml")
                .hasMessageContaining(expected);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> ConfigLoader.parse("proxies: [{name: p, address: x, port: 0}]\nrules: {PG1: warn}", "bad.yaml"))
                .hasMessageContaining("proxies[0].address")
                .hasMessageContaining("proxies[0].port")
                .hasMessageContaining("rules.PG1");
    }

    @Test
    void webPortsAndClusterRangesHaveDefaultsAndAKeyLeftOutKeepsIts() throws Exception {
        ProxyGuardConfig defaults = ConfigLoader.parse("", "empty");
        ProxyGuardConfig custom = ConfigLoader.parse("webPorts: {https: [443, 9443]}\nclusterRanges: [10.96.0.0/12, 'fd00::/8']", "c.yaml");

        assertThat(defaults.webPorts()).isEqualTo(new WebPorts(java.util.Set.of(443, 8443), java.util.Set.of(80, 8080)));
        assertThat(defaults.clusterRanges()).isEmpty();
        assertThat(custom.webPorts()).isEqualTo(new WebPorts(java.util.Set.of(443, 9443), java.util.Set.of(80, 8080)));
        assertThat(custom.clusterRanges()).extracting(io.proxyguard.engine.model.IpBlock::text).containsExactly("10.96.0.0/12", "fd00::/8");
    }

    @Test
    void reportsEveryWebPortAndRangeProblemAtOnce() {
        assertThatThrownBy(() -> ConfigLoader.parse("webPorts: {https: [x, 80], http: [80], gopher: [70]}\nclusterRanges: [nope, 10.0.0.0/8]", "bad.yaml"))
                .hasMessageContaining("webPorts.https[0]: 'x' is not a port number")
                .hasMessageContaining("webPorts.gopher: unknown key")
                .hasMessageContaining("webPorts: port 80 is in both https and http")
                .hasMessageContaining("clusterRanges[0]: 'nope' is not an IP address or CIDR");
    }

    @Test
    void invalidYamlNamesFileAndLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("proxies:\n  - name: [unclosed\n", "broken.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageMatching("(?s)broken.yaml:\\d+: invalid YAML.*");
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("cannot read config file").hasMessageContaining("nope.yaml");
    }

    @Test
    void ipv6ProxyIsAccepted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "proxies: [{name: v6, address: '2001:db8::5', port: 3128}]");

        ProxyDefinition proxy = ConfigLoader.load(file).proxies().get(0);

        assertThat(proxy.block().hostCidr()).isEqualTo("2001:db8::5/128");
        assertThat(proxy.display()).isEqualTo("v6 ([2001:db8::5]:3128)");
    }
}
