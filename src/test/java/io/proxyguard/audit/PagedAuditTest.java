package io.proxyguard.audit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.cluster.ClusterReader;
import io.proxyguard.cluster.WatchedResource;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.view.ClusterView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit lists in pages ({@code limit=500} and {@code continue}): the mock API server answers ServiceEntries in
 * three pages, as a real one does for a big cluster, and every object is judged exactly once.
 */
@EnableKubernetesMockClient
class PagedAuditTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static GenericKubernetesResourceList page(int from, int to, String next) {
        List<GenericKubernetesResource> items = IntStream.range(from, to).mapToObj(i -> client.getKubernetesSerialization().unmarshal(
                Fixtures.proxyEntry("shop", "entry-" + i, "").replace("my-company-proxy.com", "proxy-" + i + ".example"),
                GenericKubernetesResource.class)).toList();
        GenericKubernetesResourceList list = new GenericKubernetesResourceList();
        ListMeta metadata = new ListMeta();
        metadata.setContinue(next);
        list.setMetadata(metadata);
        list.setItems(items);
        return list;
    }

    @Test
    void everyObjectOfEveryPageIsJudgedOnce() {
        String entries = "/apis/networking.istio.io/v1/serviceentries";
        server.expect().get().withPath(entries + "?limit=1").andReturn(200, page(0, 1, "more")).always();
        server.expect().get().withPath(entries + "?limit=500").andReturn(200, page(0, 3, "page-2")).once();
        server.expect().get().withPath(entries + "?continue=page-2&limit=500").andReturn(200, page(3, 6, "page-3")).once();
        server.expect().get().withPath(entries + "?continue=page-3&limit=500").andReturn(200, page(6, 8, null)).once();
        for (WatchedResource workload : WatchedResource.WORKLOADS) {
            String path = (workload.group().isEmpty() ? "/api/" : "/apis/") + workload.apiVersion() + "/" + workload.plural() + "?limit=500";
            server.expect().get().withPath(path).andReturn(200, new GenericKubernetesResourceList()).once();
        }
        ClusterReader reader = new ClusterReader(client);
        List<Integer> pageSizes = new ArrayList<>();

        AuditResult result = AuditRun.judge(new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n")), ClusterView.EMPTY, pages ->
                reader.forEachCheckedPage(Optional.empty(), page -> {
                    pageSizes.add(page.size());
                    pages.accept(page);
                }));

        assertThat(result.verdicts()).extracting(verdict -> verdict.ref().name())
                .containsExactlyElementsOf(IntStream.range(0, 8).mapToObj(i -> "entry-" + i).toList());
        assertThat(pageSizes).startsWith(3, 3, 2);
        assertThat(result.verdicts()).extracting(ObjectVerdict::ref).extracting(ResourceRef::kind).containsOnly("ServiceEntry");
    }
}
