package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook end to end: a real server on loopback with a certificate from {@code proxyguard certs}, a
 * client that trusts only that CA, and AdmissionReviews shaped as the API server sends them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionWebhookTest {

    private RunningWebhook webhook;

    @BeforeAll
    void startServer(@TempDir Path certificates) throws Exception {
        webhook = RunningWebhook.start(certificates, Optional.of(Fixtures.exampleConfig()));
    }

    @AfterAll
    void stopServer() {
        webhook.close();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void mutateFixesHttpProtocolWithExactPatchAndOneWarningPerFix(HttpClient.Version version) {
        ObjectNode review = Fixtures.review("v1-create-http-proxy");

        HttpResponse<String> raw = webhook.client(version).post("/mutate", review);
        JsonNode response = WebhookClient.parse(raw.body()).get("response");

        assertThat(raw.version()).isEqualTo(version);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(response.get("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(decodePatch(response)).isEqualTo(WebhookClient.parse(
                "{\"p\":[{\"op\":\"replace\",\"path\":\"/spec/ports/0/protocol\",\"value\":\"TCP\"}]}").get("p"));
        assertThat(texts(response.get("warnings"))).containsExactly("PG101 fixed: port 3128 protocol HTTP -> TCP");
        assertThat(response.has("status")).isFalse();
    }

    @Test
    void injectAddsTheConfiguredProxyEnvToAPodWithOneWarningPerVariable() {
        ObjectNode pod = (ObjectNode) WebhookClient.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"team"},
                 "spec":{"containers":[{"name":"app","image":"a","env":[{"name":"HTTP_PROXY","value":"http://10.10.0.5:3128"}]}]}}""");

        JsonNode response = webhook.http2().review("/inject", Fixtures.createReviewOf(pod)).get("response");

        assertThat(response.get("allowed").asBoolean()).isTrue();
        JsonNode injected = JsonPatch.apply(decodePatch(response), pod);
        assertThat(injected.at("/spec/containers/0/env").findValuesAsText("name")).containsExactly("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY");
        assertThat(texts(response.get("warnings"))).containsExactly(
                "ProxyGuard injected container app: HTTPS_PROXY=http://10.10.0.5:3128",
                "ProxyGuard injected container app: NO_PROXY=.cluster.local,.svc,localhost");
    }

    @Test
    void patchedObjectValidatesCleanAndKeepsFieldsNoModelKnows() {
        ObjectNode review = Fixtures.review("v1-create-http-proxy");
        JsonNode response = webhook.http2().review("/mutate", review).get("response");

        JsonNode fixed = JsonPatch.apply(decodePatch(response), review.get("request").get("object"));
        ObjectNode again = Fixtures.review("v1-create-http-proxy");
        ((ObjectNode) again.get("request")).set("object", fixed);
        JsonNode verdict = webhook.http2().review("/validate", again).get("response");

        assertThat(fixed.at("/spec/futureIstioField/kept").asBoolean()).isTrue();
        assertThat(fixed.at("/metadata/managedFields/0/manager").asText()).isEqualTo("kubectl-client-side-apply");
        assertThat(verdict.get("allowed").asBoolean()).isTrue();
        assertThat(verdict.has("warnings")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"broken/pg101-http-protocol.yaml", "broken/pg102-bare-ip.yaml",
            "broken/pg105-dns-resolution.yaml", "broken/pg106-mesh-internal.yaml"})
    void everyFixableExampleValidatesCleanOnceItsPatchIsApplied(String example) {
        ObjectNode object = Fixtures.example(example);
        JsonNode mutated = webhook.http2().review("/mutate", Fixtures.createReviewOf(object)).get("response");
        assertThat(mutated.has("patch")).as("a patch for %s", example).isTrue();

        JsonNode fixed = JsonPatch.apply(decodePatch(mutated), object);
        JsonNode verdict = webhook.http2().review("/validate", Fixtures.createReviewOf((ObjectNode) fixed)).get("response");

        assertThat(verdict.get("allowed").asBoolean()).isTrue();
        assertThat(verdict.has("warnings")).as("warnings after fixing %s: %s", example, verdict.get("warnings")).isFalse();
    }

    @Test
    void mutateSendsNoPatchWhenNothingChanges() {
        JsonNode response = webhook.http2().review("/mutate", Fixtures.review("v1-create-clean")).get("response");

        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
        assertThat(response.has("patchType")).isFalse();
        assertThat(response.has("warnings")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void validateDeniesWith403JoiningEveryDenialAndWarnsTheRest(HttpClient.Version version) {
        JsonNode response = webhook.client(version).review("/validate", Fixtures.review("v1-create-two-denials")).get("response");

        assertThat(response.get("uid").asText()).isEqualTo("c0ffee00-two-denials-0001");
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/code").asInt()).isEqualTo(403);
        assertThat(response.at("/status/message").asText()).isEqualTo(
                "PG101: port 3128 is HTTP: Envoy's HTTP router answers CONNECT with 404; set protocol: TCP; "
                        + "PG104: proxy entry has no addresses, so Istio listens on 0.0.0.0:3128 and lets any IP through; add addresses: [PROXY_IP/32]");
        assertThat(texts(response.get("warnings"))).containsExactly(
                "PG106: location MESH_INTERNAL treats the legacy proxy as a mesh workload; set location: MESH_EXTERNAL");
        assertThat(response.has("patch")).isFalse();
    }

    @Test
    void v1beta1ReviewIsAnsweredInV1beta1() {
        ObjectNode answer = webhook.http2().review("/validate", Fixtures.review("v1beta1-create-http-proxy"));

        assertThat(answer.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
        assertThat(answer.get("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(answer.at("/response/uid").asText()).isEqualTo("9f0e8d7c-v1beta1-0001");
        assertThat(answer.at("/response/allowed").asBoolean()).isFalse();
    }

    @Test
    void v1ReviewIsAnsweredInV1() {
        ObjectNode answer = webhook.http2().review("/validate", Fixtures.review("v1-create-clean"));

        assertThat(answer.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.at("/response/uid").asText()).isEqualTo("aa11bb22-clean-0001");
        assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
    }

    @Test
    void dryRunIsEvaluatedLikeAnyOtherRequest() {
        JsonNode validate = webhook.http2().review("/validate", Fixtures.review("v1-create-dry-run")).get("response");
        JsonNode mutate = webhook.http2().review("/mutate", Fixtures.review("v1-create-dry-run")).get("response");

        assertThat(validate.get("allowed").asBoolean()).isFalse();
        assertThat(validate.at("/status/message").asText()).startsWith("PG101: ");
        assertThat(mutate.has("patch")).isTrue();
    }

    @Test
    void deleteIsAllowedWithoutEvaluation() {
        for (String path : List.of("/mutate", "/validate")) {
            JsonNode response = webhook.http2().review(path, Fixtures.review("v1-delete")).get("response");

            assertThat(response.get("uid").asText()).isEqualTo("d0d0d0d0-delete-0001");
            assertThat(response.get("allowed").asBoolean()).isTrue();
            assertThat(response.has("warnings")).isFalse();
            assertThat(response.has("patch")).isFalse();
        }
    }

    @Test
    void updateThatOnlyChangesLabelsOfAnAcceptedBrokenObjectIsAllowedWithAWarning() {
        JsonNode response = webhook.http2().review("/validate", Fixtures.review("v1-update-labels-only")).get("response");

        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(texts(response.get("warnings"))).containsExactly(
                "PG101 (predates this update, not blocking): port 3128 is HTTP: Envoy's HTTP router answers CONNECT with 404; set protocol: TCP");
    }

    @Test
    void updateThatIntroducesADenialIsDenied() {
        JsonNode response = webhook.http2().review("/validate", Fixtures.review("v1-update-introduces-http")).get("response");

        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/message").asText()).startsWith("PG101: port 3128 is HTTP");
    }

    @Test
    void updateIsDeniedForTheNewDenialOnlyAndWarnsAboutTheOldOne() {
        JsonNode response = webhook.http2().review("/validate", Fixtures.review("v1-update-old-and-new-denials")).get("response");

        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.at("/status/message").asText()).startsWith("PG104: ").doesNotContain("PG101");
        assertThat(texts(response.get("warnings"))).singleElement().asString().startsWith("PG101 (predates this update, not blocking)");
    }

    @Test
    void statusSubresourceUpdateIsNotEvaluated() {
        JsonNode response = webhook.http2().review("/validate", Fixtures.review("v1-update-status-subresource")).get("response");

        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.has("warnings")).isFalse();
    }

    @Test
    void otherKindsAreAllowedUntouched() {
        for (String path : List.of("/mutate", "/validate")) {
            JsonNode response = webhook.http2().review(path, Fixtures.review("v1-create-configmap")).get("response");

            assertThat(response.get("allowed").asBoolean()).isTrue();
            assertThat(response.has("patch")).isFalse();
            assertThat(response.has("warnings")).isFalse();
        }
    }

    @Test
    void unreadableObjectIsAllowedWithOneWarningAndNoPatch() {
        JsonNode validate = webhook.http2().review("/validate", Fixtures.review("v1-create-unreadable")).get("response");
        JsonNode mutate = webhook.http2().review("/mutate", Fixtures.review("v1-create-unreadable")).get("response");

        assertThat(validate.get("allowed").asBoolean()).isTrue();
        assertThat(texts(validate.get("warnings"))).singleElement().asString()
                .startsWith("ProxyGuard: not checked, ServiceEntry pg101/proxy-http: spec.ports: expected a list");
        assertThat(mutate.get("allowed").asBoolean()).isTrue();
        assertThat(mutate.has("patch")).isFalse();
        assertThat(mutate.has("warnings")).isFalse();
    }

    @Test
    void metricsCountReviewsByWebhookKindOperationAndOutcomeAndFindingsByRule() {
        double denied = webhook.metric("proxyguard_admission_requests_total{kind=\"ServiceEntry\",operation=\"CREATE\",outcome=\"denied\",webhook=\"validate\"}");
        double pg104 = webhook.metric("proxyguard_admission_findings_total{rule=\"PG104\",severity=\"deny\",webhook=\"validate\"}");

        webhook.http2().review("/validate", Fixtures.review("v1-create-two-denials"));

        assertThat(webhook.metric("proxyguard_admission_requests_total{kind=\"ServiceEntry\",operation=\"CREATE\",outcome=\"denied\",webhook=\"validate\"}"))
                .isEqualTo(denied + 1);
        assertThat(webhook.metric("proxyguard_admission_findings_total{rule=\"PG104\",severity=\"deny\",webhook=\"validate\"}"))
                .isEqualTo(pg104 + 1);
        assertThat(webhook.metric("proxyguard_admission_duration_seconds_count{webhook=\"validate\"}")).isPositive();
        assertThat(webhook.metric("proxyguard_tls_certificate_expiry_timestamp_seconds"))
                .isEqualTo((double) webhook.server.certificate().current().notAfter().getEpochSecond());
        assertThat(webhook.health("/metrics").body()).doesNotContain("pg101").doesNotContain("proxy-two");
    }

    @Test
    void healthAndReadinessAnswerOnThePlainPort() {
        HttpResponse<String> health = webhook.health("/healthz");
        HttpResponse<String> ready = webhook.health("/readyz");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("[+]tls-certificate ok", "[+]config ok", "readyz check passed");
    }

    static JsonNode decodePatch(JsonNode response) {
        return WebhookClient.parse("{\"p\":" + new String(Base64.getDecoder().decode(response.get("patch").asText()),
                StandardCharsets.UTF_8) + "}").get("p");
    }

    static List<String> texts(JsonNode array) {
        assertThat(array).as("warnings").isNotNull();
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
