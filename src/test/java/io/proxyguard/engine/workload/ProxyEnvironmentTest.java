package io.proxyguard.engine.workload;

import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.view.ClusterView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which variable a request takes its proxy from, in curl's order, and where the request goes. */
class ProxyEnvironmentTest {

    private static final String HOST = "api.payments.example.com";

    /** {@code NAME=value;NAME2=value2}; a value {@code ?} is unknown (a Secret). */
    private static ContainerEnv container(String env) {
        List<ProxyVariable> proxies = new ArrayList<>();
        Optional<ProxyVariable> noProxy = Optional.empty();
        for (String pair : env.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            ProxyVariable variable = value.equals("?")
                    ? new ProxyVariable(name, ProxyVariable.Source.SECRET, null, FieldPath.of("env"))
                    : new ProxyVariable(name, ProxyVariable.Source.LITERAL, value, FieldPath.of("env"));
            if (ProxyVariable.isNoProxyName(name)) {
                noProxy = Optional.of(variable);
            } else {
                proxies.add(variable);
            }
        }
        return new ContainerEnv("app", proxies, noProxy);
    }

    @ParameterizedTest(name = "{0} [{1}] -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTPS_PROXY=10.10.0.5:3128                                    | HTTPS | PROXIED | HTTPS_PROXY is http://10.10.0.5:3128
            https_proxy=10.10.0.5:3128;HTTPS_PROXY=10.10.0.6:3128         | HTTPS | PROXIED | https_proxy is http://10.10.0.5:3128
            https_proxy=;HTTPS_PROXY=10.10.0.6:3128                       | HTTPS | PROXIED | HTTPS_PROXY is http://10.10.0.6:3128
            ALL_PROXY=socks5://10.10.0.7:1080                             | HTTPS | PROXIED | ALL_PROXY is socks5://10.10.0.7:1080
            all_proxy=10.10.0.7:1080;HTTPS_PROXY=10.10.0.5:3128           | HTTPS | PROXIED | HTTPS_PROXY is http://10.10.0.5:3128
            HTTP_PROXY=10.10.0.5:3128                                     | HTTPS | DIRECT  | it sets none of https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY
            HTTP_PROXY=10.10.0.5:3128                                     | HTTP  | DIRECT  | it sets none of http_proxy, all_proxy, ALL_PROXY
            http_proxy=10.10.0.5:3128                                     | HTTP  | PROXIED | http_proxy is http://10.10.0.5:3128
            HTTPS_PROXY=10.10.0.5:3128                                    | HTTP  | DIRECT  | it sets none of http_proxy, all_proxy, ALL_PROXY
            HTTPS_PROXY=?                                                 | HTTPS | UNKNOWN | the value of HTTPS_PROXY is not in view
            HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=?                         | HTTPS | UNKNOWN | the value of NO_PROXY is not in view
            HTTPS_PROXY=not a url                                         | HTTPS | UNKNOWN | HTTPS_PROXY is not a proxy URL
            HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=.svc,api.payments.example.com | HTTPS | DIRECT | NO_PROXY covers api.payments.example.com
            HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=.example.com              | HTTPS | DIRECT  | NO_PROXY covers api.payments.example.com
            HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=*                         | HTTPS | DIRECT  | NO_PROXY covers api.payments.example.com
            HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=.svc,.cluster.local       | HTTPS | PROXIED | HTTPS_PROXY is http://10.10.0.5:3128
            HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=api.payments.example.com:443 | HTTPS | UNKNOWN | NO_PROXY entry api.payments.example.com:443 is ignored by curl but not by other clients
            HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=api.payments.example.com:80 | HTTPS | PROXIED | HTTPS_PROXY is http://10.10.0.5:3128
            HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=2001:db8::/32,[2001:db8::1] | HTTPS | PROXIED | HTTPS_PROXY is http://10.10.0.5:3128
            """)
    void routesAsCurlReadsTheEnvironment(String env, WebScheme scheme, Route.Kind kind, String reason) {
        Route route = ProxyEnvironment.of(container(env)).route(HOST, 443, scheme);

        assertThat(route.kind()).isEqualTo(kind);
        assertThat(route.reason()).isEqualTo(reason);
    }

    @Test
    void aWorkloadIsDirectWhenOneContainerIsAndUnknownBeforeProxied() {
        ContainerEnv proxied = container("HTTPS_PROXY=10.10.0.5:3128");
        ContainerEnv direct = container("HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=.example.com");
        ContainerEnv secret = container("HTTPS_PROXY=?");
        ContainerEnv logShipper = container("");

        assertThat(WorkloadEnv.of(List.of(proxied, direct)).route(HOST, 443, WebScheme.HTTPS).kind()).isEqualTo(Route.Kind.DIRECT);
        assertThat(WorkloadEnv.of(List.of(proxied, secret)).route(HOST, 443, WebScheme.HTTPS).kind()).isEqualTo(Route.Kind.UNKNOWN);
        assertThat(WorkloadEnv.of(List.of(proxied, logShipper)).route(HOST, 443, WebScheme.HTTPS).kind()).isEqualTo(Route.Kind.PROXIED);
        assertThat(WorkloadEnv.of(List.of(logShipper)).route(HOST, 443, WebScheme.HTTPS).reason())
                .isEqualTo("no container sets a proxy variable");
    }

    @ParameterizedTest(name = "no_proxy={0}, NO_PROXY={1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            .a.example | .b.example | no_proxy
            ''         | .b.example | NO_PROXY
            .a.example | ~          | no_proxy
            ~          | .b.example | NO_PROXY
            """)
    void theNoProxyVariableIsTheOneCurlReads(String lower, String upper, String chosen) {
        StringBuilder env = new StringBuilder("- {name: HTTPS_PROXY, value: '10.10.0.5:3128'}\n");
        if (!lower.equals("~")) {
            env.append("- {name: no_proxy, value: '").append(lower).append("'}\n");
        }
        if (!upper.equals("~")) {
            env.append("- {name: NO_PROXY, value: '").append(upper).append("'}\n");
        }
        WorkloadFacts workload = WorkloadFacts.read(Fixtures.object("""
                apiVersion: v1
                kind: Pod
                metadata: {name: app, namespace: test}
                spec:
                  containers:
                  - name: app
                    env:
                """ + env.toString().indent(4)), ClusterView.EMPTY);

        assertThat(workload.containers().get(0).noProxy()).map(ProxyVariable::name).contains(chosen);
    }

    @Test
    void containersWithTheSameSettingsMakeEqualEnvironments() {
        assertThat(WorkloadEnv.of(List.of(container("HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=.svc"))))
                .isEqualTo(WorkloadEnv.of(List.of(container("HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=.svc"),
                        container("HTTPS_PROXY=10.10.0.5:3128;NO_PROXY=.svc"))));
    }
}
