package io.proxyguard.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class HostPatternTest {

    @ParameterizedTest(name = "proxied {0} ~ {1}: {2}")
    @CsvSource(textBlock = """
            *,               en.wikipedia.org, true
            *.wikipedia.org, en.wikipedia.org, true
            *.wikipedia.org, wikipedia.org,    false
            en.wikipedia.org, EN.Wikipedia.org., true
            en.wikipedia.org, de.wikipedia.org, false
            """)
    void proxiedHosts(String pattern, String host, boolean matches) {
        assertThat(HostPattern.proxied(pattern).matches(host)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "noProxy {0} ~ {1}: {2}")
    @CsvSource(textBlock = """
            .cluster.local, api.ns.svc.cluster.local, true
            .cluster.local, cluster.local,            true
            .svc,           api.ns.svc,               true
            .svc,           svc.example.com,          false
            example.com,    api.example.com,          true
            example.com,    badexample.com,           false
            localhost,      localhost,                true
            *,              anything.example,         true
            """)
    void noProxyFollowsCurl(String pattern, String host, boolean matches) {
        assertThat(HostPattern.noProxy(pattern).matches(host)).isEqualTo(matches);
    }
}
