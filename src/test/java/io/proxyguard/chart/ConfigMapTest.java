package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.config.ProxyDefinition;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.config.WebPorts;
import io.proxyguard.engine.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The ConfigMap rendered from values.config is a configuration file ProxyGuard's own loader accepts. */
class ConfigMapTest {

    private static final Helm HELM = Helm.installed();

    @Test
    void rendersTheScenarioConfigIntoAFileTheLoaderReadsBack() throws Exception {
        ProxyGuardConfig config = load(HELM.render(Helm.scenario("self-managed-values.yaml")));

        assertThat(config.proxies()).containsExactly(
                new ProxyDefinition("corp-proxy", "10.10.0.5", 3128, List.of("my-company-proxy.com")));
        assertThat(config.proxyPorts()).isEqualTo(Set.of(3128));
        assertThat(config.rules()).isEqualTo(Map.of("PG107", Severity.WARN));
        assertThat(config.isProxied("en.wikipedia.org")).isTrue();
        assertThat(config.isProxied("api.default.svc")).isFalse();
    }

    @Test
    void rendersDefaultsTheLoaderAccepts() throws Exception {
        ProxyGuardConfig config = load(HELM.render());

        assertThat(config.proxies()).isEmpty();
        assertThat(config.proxyPorts()).isEqualTo(ProxyGuardConfig.DEFAULT_PROXY_PORTS);
        assertThat(config.webPorts()).isEqualTo(WebPorts.DEFAULTS);
        assertThat(config.clusterRanges()).isEmpty();
        assertThat(config.rules()).isEmpty();
    }

    @Test
    void rendersIpv6ProxiesAndSeveralPorts() throws Exception {
        ProxyGuardConfig config = load(HELM.render("--set", "config.proxies[0].name=v6-proxy",
                "--set", "config.proxies[0].address=2001:db8::5", "--set", "config.proxies[0].port=8080",
                "--set", "config.proxies[0].hosts={v6-proxy.corp}", "--set", "config.proxyPorts={3128,8080}"));

        assertThat(config.proxies()).singleElement().satisfies(proxy -> {
            assertThat(proxy.address()).isEqualTo("2001:db8::5");
            assertThat(proxy.display()).isEqualTo("v6-proxy ([2001:db8::5]:8080)");
        });
        assertThat(config.proxyPorts()).isEqualTo(Set.of(3128, 8080));
    }

    private static ProxyGuardConfig load(RenderedChart chart) throws Exception {
        ConfigMap configMap = chart.get(ConfigMap.class, "pg-proxyguard-config");
        assertThat(configMap.getData()).containsOnlyKeys("config.yaml");
        return ConfigLoader.parse(configMap.getData().get("config.yaml"), "rendered ConfigMap");
    }
}
