package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.KubeObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A cluster without Istio's Sidecar CRD is one without Sidecar resources: the webhook still gets ready, and audit still runs. */
@EnableKubernetesMockClient(crud = true)
class ClusterWithoutSidecarCrdTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeAll
    static void noSidecarVersionIsServed() {
        for (WatchedResource version : WatchedResource.SIDECAR_VERSIONS) {
            server.expect().get().withPath("/apis/" + version.apiVersion() + "/sidecars?limit=1")
                    .andReturn(404, new StatusBuilder().withCode(404).withReason("NotFound")
                            .withMessage("the server could not find the requested resource").build())
                    .always();
        }
    }

    @Test
    void theWebhookGetsReadyWithoutASidecarInformer() throws Exception {
        new MockCluster(client).apply(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()));

        try (WatchedView watched = WatchedView.synced(client, new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n")))) {
            assertThat(watched.view().proxyEntries()).extracting(e -> e.ref().name()).containsExactly("proxy");
        }
    }

    @Test
    void theAuditFindsNoSidecarVersionAndListsTheRest() {
        new MockCluster(client).apply(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()));
        ClusterReader reader = new ClusterReader(client);

        assertThat(reader.sidecarVersion()).isEmpty();
        assertThat(reader.list(Optional.empty(), Fixtures.config("").mesh())).extracting(KubeObject::kind).containsExactly("ServiceEntry");
    }
}
