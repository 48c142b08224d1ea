package io.proxyguard.engine;

import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.proxyguard.engine.Fixtures.guideSpec;
import static org.assertj.core.api.Assertions.assertThat;

/** PG109 and PG110: findings that depend on other objects in view. */
class CrossResourceRulesTest {

    private final PolicyEngine engine = new PolicyEngine(Fixtures.exampleConfig());
    private final KubeObject proxy = Fixtures.serviceEntry("v1", "proxy", "", guideSpec());

    private static KubeObject service(String portYaml) {
        return Fixtures.object("apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: other}\nspec:\n  ports:\n" + portYaml.indent(2));
    }

    private List<String> findings(KubeObject object, KubeObject... others) throws Exception {
        List<KubeObject> all = new java.util.ArrayList<>(List.of(others));
        all.add(object);
        ClusterView view = IndexedClusterView.of(all, engine.detector());
        return engine.evaluate(object, view).findings().stream().map(f -> f.ruleId() + "@" + f.path()).toList();
    }

    @Test
    void serviceWithHttpNamePrefixOnTheProxyPortIsReportedOnTheProxyEntry() throws Exception {
        assertThat(findings(proxy, service("- {name: http-web, port: 3128}"))).containsExactly("PG109@spec.ports[0].number");
    }

    @Test
    void serviceWithHttpAppProtocolOnTheProxyPortIsReported() throws Exception {
        assertThat(findings(proxy, service("- {name: web, port: 3128, appProtocol: http}"))).containsExactly("PG109@spec.ports[0].number");
    }

    @Test
    void tcpServiceOrOtherPortIsFine() throws Exception {
        assertThat(findings(proxy, service("- {name: tcp-web, port: 3128}\n- {name: http, port: 8080}"))).isEmpty();
    }

    @Test
    void nonProxyEntryDeclaringHttpOnAProxyPortIsReportedOnItselfAndOnTheProxyEntry() throws Exception {
        KubeObject internal = Fixtures.serviceEntry("v1", "cache", "", """
                hosts: [cache.corp.example]
                addresses: [10.40.0.0/24]
                ports:
                - {number: 3128, name: http, protocol: HTTP}
                location: MESH_INTERNAL
                resolution: NONE
                """);

        assertThat(findings(internal, proxy)).containsExactly("PG109@spec.ports[0].protocol");
        assertThat(findings(proxy, internal)).containsExactly("PG109@spec.ports[0].number");
    }

    @Test
    void anotherProxyEntryWithHttpIsPg101sCaseNotPg109() throws Exception {
        KubeObject httpProxy = Fixtures.serviceEntry("v1", "proxy-2", "", guideSpec()
                .replace("10.10.0.5/32", "10.10.0.6/32").replace("protocol: TCP", "protocol: HTTP").replace("my-company-proxy.com", "p2.corp"));

        assertThat(findings(proxy, httpProxy)).isEmpty();
    }

    @Test
    void twoProxyEntriesWithOneHostInOneNamespaceCollide() throws Exception {
        KubeObject second = Fixtures.serviceEntry("v1beta1", "proxy-b", "", guideSpec().replace("10.10.0.5/32", "10.10.0.6/32"));

        assertThat(findings(proxy, second)).containsExactly("PG110@spec.hosts[0]");
    }

    @Test
    void sameHostInAnotherNamespaceExportedOnlyThereIsFine() throws Exception {
        KubeObject elsewhere = Fixtures.object(Fixtures.serviceEntry("v1", "proxy", "", guideSpec() + "exportTo: [\".\"]\n").json().toString()
                .replace("\"namespace\":\"test\"", "\"namespace\":\"team-b\""));

        KubeObject ownOnly = Fixtures.serviceEntry("v1", "proxy", "", guideSpec() + "exportTo: [\".\"]\n");

        assertThat(findings(ownOnly, elsewhere)).isEmpty();
    }

    @Test
    void sameHostInAnotherNamespaceSeenTogetherCollides() throws Exception {
        KubeObject elsewhere = Fixtures.object(Fixtures.serviceEntry("v1", "proxy", "", guideSpec().replace("10.10.0.5/32", "10.10.0.6/32"))
                .json().toString().replace("\"namespace\":\"test\"", "\"namespace\":\"team-b\""));

        assertThat(findings(proxy, elsewhere)).containsExactly("PG110@spec.hosts[0]");
    }

    @Test
    void theObjectItselfInViewIsNotAConflict() throws Exception {
        assertThat(findings(proxy, proxy)).isEmpty();
    }
}
