package io.proxyguard.audit;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer reads its reports from the list response one at a time: pages are followed through their continue
 * tokens with the label selector kept, every report arrives once and whole, and an error status or a body that is
 * not a list fails with what went wrong.
 */
@EnableKubernetesMockClient
class PolicyReportStreamTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final String PATH = "/apis/wgpolicyk8s.io/v1alpha2/policyreports";
    private static final String SELECTOR = "labelSelector=app.kubernetes.io%2Fmanaged-by%3Dproxyguard";

    /** A list page of the reports of {@code namespaces}, as the API server writes it: metadata after items here, extra fields around. */
    private static String page(List<String> namespaces, String next) {
        List<String> items = new ArrayList<>();
        for (String namespace : namespaces) {
            ResourceRef ref = new ResourceRef("networking.istio.io/v1", "ServiceEntry", namespace, "proxy");
            ObjectVerdict verdict = new ObjectVerdict(ref, "uid-" + namespace, List.of(
                    new Finding("PG101", Severity.DENY, ref, "spec.ports[0].protocol", "HTTP breaks CONNECT: use TCP", null)), Optional.empty());
            PolicyReport report = PolicyReports.of(new AuditResult(List.of(verdict)), Instant.parse("2026-11-30T12:00:00Z")).get(0);
            report.metadata().setResourceVersion("rv-" + namespace);
            items.add(client.getKubernetesSerialization().asJson(report.toResource(client.getKubernetesSerialization())));
        }
        return "{\"kind\":\"PolicyReportList\",\"apiVersion\":\"wgpolicyk8s.io/v1alpha2\",\"items\":[" + String.join(",", items)
                + "],\"metadata\":{\"resourceVersion\":\"42\"" + (next == null ? "" : ",\"continue\":\"" + next + "\"") + "}}";
    }

    @Test
    void everyReportOfEveryPageArrivesOnceAndWhole() {
        server.expect().get().withPath(PATH + "?" + SELECTOR + "&limit=2").andReturn(200, page(List.of("a", "b"), "token/2")).once();
        server.expect().get().withPath(PATH + "?continue=token%2F2&" + SELECTOR + "&limit=2").andReturn(200, page(List.of("c", "d"), "t3")).once();
        server.expect().get().withPath(PATH + "?continue=t3&" + SELECTOR + "&limit=2").andReturn(200, page(List.of("e"), null)).once();
        List<PolicyReport> read = new ArrayList<>();

        new PolicyReportStream(client, "app.kubernetes.io/managed-by=proxyguard", 2).forEach(read::add);

        assertThat(read).extracting(PolicyReport::namespace).containsExactly("a", "b", "c", "d", "e");
        assertThat(read).allSatisfy(report -> {
            assertThat(report.metadata().getResourceVersion()).isEqualTo("rv-" + report.namespace());
            assertThat(report.results()).singleElement().satisfies(result -> {
                assertThat(result.policy()).isEqualTo("PG101");
                assertThat(result.resources().get(0).uid()).isEqualTo("uid-" + report.namespace());
                assertThat(result.timestamp()).isEqualTo(new PolicyReport.Timestamp(Instant.parse("2026-11-30T12:00:00Z").getEpochSecond(), 0));
            });
            assertThat(report.summary().fail()).isEqualTo(1);
        });
    }

    @Test
    void aStatusOtherThan200IsAnErrorWithItsCodeAndTheServersWords() {
        server.expect().get().withPath(PATH + "?" + SELECTOR + "&limit=7").andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("policyreports.wgpolicyk8s.io is forbidden: User cannot list").build()).once();

        assertThatThrownBy(() -> new PolicyReportStream(client, "app.kubernetes.io/managed-by=proxyguard", 7).forEach(r -> { }))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                .hasMessageContaining("HTTP 403").hasMessageContaining("forbidden: User cannot list");
    }

    @Test
    void aBodyThatIsNotAListSaysSo() {
        server.expect().get().withPath(PATH + "?" + SELECTOR + "&limit=8").andReturn(200, "[1, 2]").once();
        server.expect().get().withPath(PATH + "?" + SELECTOR + "&limit=9").andReturn(200, "{\"items\":[{\"metadata\":").once();

        assertThatThrownBy(() -> new PolicyReportStream(client, "app.kubernetes.io/managed-by=proxyguard", 8).forEach(r -> { }))
                .hasMessageContaining("PolicyReport list").hasRootCauseMessage("the PolicyReport list is not a JSON object");
        assertThatThrownBy(() -> new PolicyReportStream(client, "app.kubernetes.io/managed-by=proxyguard", 9).forEach(r -> { }))
                .hasMessageContaining("reading the PolicyReport list");
    }

    @Test
    void aLargeReportIsReadWhole() {
        List<ObjectVerdict> verdicts = new ArrayList<>();
        IntStream.range(0, PolicyReports.MAX_RESULTS).forEach(i -> verdicts.add(new ObjectVerdict(
                new ResourceRef("networking.istio.io/v1", "ServiceEntry", "big", "entry-%04d".formatted(i)), "", List.of(), Optional.empty())));
        PolicyReport big = PolicyReports.of(new AuditResult(verdicts), Instant.now()).get(0);
        String json = client.getKubernetesSerialization().asJson(big.toResource(client.getKubernetesSerialization()));
        server.expect().get().withPath(PATH + "?" + SELECTOR + "&limit=10").andReturn(200, "{\"items\":[" + json + "],\"metadata\":{}}").once();
        List<PolicyReport> read = new ArrayList<>();

        new PolicyReportStream(client, "app.kubernetes.io/managed-by=proxyguard", 10).forEach(read::add);

        assertThat(read).singleElement().satisfies(report -> assertThat(report.results()).isEqualTo(big.results()));
    }
}
