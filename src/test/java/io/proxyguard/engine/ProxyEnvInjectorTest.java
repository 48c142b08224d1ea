package io.proxyguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional proxy env injection: adds what is missing, never overrides, and leaves a Pod the rules accept. */
class ProxyEnvInjectorTest {

    private final ProxyEnvInjector injector = new ProxyEnvInjector(Fixtures.exampleConfig());

    private static KubeObject pod(String containers) {
        return Fixtures.object("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\nspec:\n" + containers.indent(2));
    }

    @Test
    void addsTheConfiguredProxyAndNoProxyToEveryContainer() throws Exception {
        KubeObject pod = pod("""
                initContainers: [{name: init, image: i}]
                containers:
                - {name: app, image: a, env: [{name: LOG_LEVEL, value: debug}]}
                """);

        ProxyEnvInjector.Injection injection = injector.inject(pod);
        JsonNode injected = JsonPatch.apply(injection.patch(), pod.json());

        assertThat(injected.at("/spec/containers/0/env").toString()).isEqualTo("[{\"name\":\"LOG_LEVEL\",\"value\":\"debug\"},"
                + "{\"name\":\"HTTPS_PROXY\",\"value\":\"http://10.10.0.5:3128\"},{\"name\":\"HTTP_PROXY\",\"value\":\"http://10.10.0.5:3128\"},"
                + "{\"name\":\"NO_PROXY\",\"value\":\".cluster.local,.svc,localhost\"}]");
        assertThat(injected.at("/spec/initContainers/0/env")).hasSize(3);
        assertThat(injection.patch()).allSatisfy(op -> assertThat(op.get("op").asText()).isEqualTo("add"));
        assertThat(injection.changes()).hasSize(6).first().asString().isEqualTo("container init: HTTPS_PROXY=http://10.10.0.5:3128");
        assertThat(new PolicyEngine(Fixtures.exampleConfig()).evaluate(KubeObject.of((com.fasterxml.jackson.databind.node.ObjectNode) injected),
                ClusterView.EMPTY).findings()).isEmpty();
    }

    @Test
    void neverOverridesWhatTheWorkloadSetInEitherCase() {
        KubeObject pod = pod("""
                containers:
                - name: app
                  image: a
                  env: [{name: https_proxy, value: "http://10.99.0.1:8080"}, {name: NO_PROXY, value: ".svc"}]
                """);

        ProxyEnvInjector.Injection injection = injector.inject(pod);

        assertThat(injection.changes()).containsExactly("container app: HTTP_PROXY=http://10.10.0.5:3128");
    }

    @Test
    void aContainerWithEnvFromIsLeftAlone() {
        KubeObject pod = pod("containers: [{name: app, image: a, envFrom: [{configMapRef: {name: settings}}]}]");

        assertThat(injector.inject(pod).isPatched()).isFalse();
    }

    @Test
    void nothingWithoutAConfiguredProxyOrForOtherKinds() {
        KubeObject pod = pod("containers: [{name: app, image: a}]");

        assertThat(new ProxyEnvInjector(Fixtures.config("proxyPorts: [3128]\n")).inject(pod).isPatched()).isFalse();
        assertThat(injector.inject(Fixtures.serviceEntry("v1", "e", "", Fixtures.guideSpec())).isPatched()).isFalse();
    }
}
