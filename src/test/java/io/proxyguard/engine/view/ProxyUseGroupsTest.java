package io.proxyguard.engine.view;

import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.mesh.DataPlane;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ProxyUseGroups.UseGroup;
import io.proxyguard.engine.workload.ProxyUse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.proxyguard.engine.Fixtures.namespace;
import static io.proxyguard.engine.Fixtures.proxyEntry;
import static io.proxyguard.engine.Fixtures.sidecar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The groups PG109 and PG110 ask instead of every workload: each use of a group takes exactly the path its group
 * stands for (checked use by use against {@link ProxyPath#resolve}), pods without a sidecar are left out, and pods
 * that differ in what decides the path (namespace, Sidecar selected, capture annotations, proxy IP) are apart.
 */
class ProxyUseGroupsTest {

    private final PolicyEngine engine = new PolicyEngine(Fixtures.exampleConfig());

    private static String pod(String namespace, String name, String app, String annotations, String proxy) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  labels: {app: %s}
                  annotations: %s
                spec:
                  containers:
                  - name: app
                    image: registry.example/app:1.0
                    env:
                    - {name: HTTPS_PROXY, value: 'http://%s:3128'}
                """.formatted(name, namespace, app, annotations, proxy);
    }

    /** 600 pods over 3 namespaces (one without injection), 2 apps (one with a narrow Sidecar), 2 capture settings, 2 proxies. */
    private ClusterView mixedView() {
        List<String> documents = new ArrayList<>(List.of(
                namespace("shop", "{istio-injection: enabled}"),
                namespace("web", "{istio-injection: enabled}"),
                namespace("plain", "{}"),
                proxyEntry("egress", "proxy", ""),
                proxyEntry("egress", "proxy-b", "").replace("10.10.0.5/32", "10.10.0.6/32").replace("my-company-proxy.com", "b.proxy"),
                sidecar("shop", "narrow", "workloadSelector:\n  labels: {app: narrow}\negress:\n- hosts: [istio-system/*]")));
        String[] namespaces = {"shop", "web", "plain"};
        String[] annotations = {"{}", "{traffic.sidecar.istio.io/excludeOutboundPorts: '3128'}"};
        for (int i = 0; i < 600; i++) {
            documents.add(pod(namespaces[i % 3], "p" + i, i % 2 == 0 ? "cart" : "narrow", annotations[(i / 2) % 2],
                    (i / 4) % 2 == 0 ? "10.10.0.5" : "10.10.0.6"));
        }
        List<KubeObject> objects = Fixtures.objects(String.join("---\n", documents));
        return IndexedClusterView.of(objects, engine.detector());
    }

    @Test
    void everyUseTakesThePathOfItsGroup() {
        ClusterView view = mixedView();
        List<UseGroup> groups = view.proxyUseGroupsOnPort(3128);

        Set<ProxyUse> grouped = new HashSet<>();
        for (UseGroup group : groups) {
            ProxyPath shared = group.path(view, 3128);
            for (ProxyUse use : group.uses()) {
                ProxyPath own = ProxyPath.resolve(view, use.workload().pod(), use.url().ip().orElseThrow(), 3128);
                assertThat(own.throughSidecar()).as(use.workload().ref().display()).isEqualTo(shared.throughSidecar());
                assertThat(own.scope()).as(use.workload().ref().display()).isEqualTo(shared.scope());
                assertThat(own.settings()).isEqualTo(shared.settings());
                assertThat(own.visibleEntries()).isEqualTo(shared.visibleEntries());
                assertThat(own.hiddenEntries()).isEqualTo(shared.hiddenEntries());
                grouped.add(use);
            }
        }
        // shop: 2 apps (two scopes) x 2 capture settings x 2 proxies; web: 1 scope x 2 x 2; plain: no sidecar
        assertThat(groups).hasSize(8 + 4);
        for (ProxyUse use : view.proxyUsesOnPort(3128)) {
            boolean sidecar = view.mesh().enrollment(use.workload().pod()).dataPlane() == DataPlane.SIDECAR;
            assertThat(grouped.contains(use)).as(use.workload().ref().display()).isEqualTo(sidecar);
        }
        assertThat(grouped).hasSize(400);
    }

    @Test
    void aViewGroupsEachPortOnce() {
        ClusterView view = mixedView();

        assertThat(view.proxyUseGroupsOnPort(3128)).isSameAs(view.proxyUseGroupsOnPort(3128));
        assertThat(view.proxyUseGroupsOnPort(8080)).isEmpty();
    }
}
