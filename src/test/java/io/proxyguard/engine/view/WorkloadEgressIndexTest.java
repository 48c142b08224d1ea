package io.proxyguard.engine.view;

import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.model.ServiceEntryFacts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The index PG107 asks: built once per view, and a question walks groups of alike workloads, not workloads. */
class WorkloadEgressIndexTest {

    private final PolicyEngine engine = new PolicyEngine(Fixtures.exampleConfig());

    private static KubeObject pod(String namespace, String name, String env) {
        return Fixtures.object("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: " + namespace + "}\n"
                + "spec: {containers: [{name: app, env: [" + env + "]}]}\n");
    }

    private static ServiceEntryFacts entry(String exportTo) throws Exception {
        return ServiceEntryFacts.read(Fixtures.object("apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                + "metadata: {name: api, namespace: shop}\n"
                + "spec: {hosts: [api.example.com], ports: [{number: 443, name: tls, protocol: TLS}], exportTo: " + exportTo + "}\n"));
    }

    @Test
    void aViewBuildsItsIndexOnce() {
        ClusterView view = IndexedClusterView.of(List.of(pod("shop", "a", "")), engine.detector());

        assertThat(view.workloadEgress()).isSameAs(view.workloadEgress());
        assertThat(IndexedClusterView.of(List.of(pod("shop", "a", "")), engine.detector()).workloadEgress())
                .isNotSameAs(view.workloadEgress());
    }

    @Test
    void workloadsWithTheSameScopeAndEnvironmentFormOneGroup() throws Exception {
        List<KubeObject> pods = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            pods.add(pod(i % 2 == 0 ? "shop" : "web", "p" + i, "{name: HTTPS_PROXY, value: '10.10.0.5:3128'}"));
        }
        pods.add(pod("web", "direct", ""));
        WorkloadEgressIndex index = IndexedClusterView.of(pods, engine.detector()).workloadEgress();

        Audience everywhere = index.audience(entry("[\"*\"]"), 443);
        Audience shopOnly = index.audience(entry("[\".\"]"), 443);

        assertThat(everywhere.groups()).hasSize(3);
        assertThat(everywhere.workloads()).isEqualTo(1001);
        assertThat(shopOnly.groups()).hasSize(1);
        assertThat(shopOnly.workloads()).isEqualTo(500);
        assertThat(index.audience(entry("[\"~\"]"), 443).isEmpty()).isTrue();
    }
}
