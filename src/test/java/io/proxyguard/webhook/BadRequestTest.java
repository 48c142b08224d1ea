package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.proxy.ProxyEndpoint;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ClusterView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request that is not a usable AdmissionReview gets a clear, well-formed Kubernetes Status with the
 * right HTTP status, and the server goes on answering real reviews afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTest {

    private RunningWebhook webhook;

    @BeforeAll
    void startServer(@TempDir Path certificates) throws Exception {
        webhook = RunningWebhook.start(certificates, Optional.of(Fixtures.exampleConfig()));
    }

    @AfterAll
    void stopServer() {
        webhook.close();
    }

    @AfterEach
    void serverStillJudgesRealReviews() {
        webhook.view.set(ClusterView.EMPTY);
        JsonNode response = webhook.http2().review("/validate", Fixtures.review("v1-create-http-proxy")).get("response");
        assertThat(response.get("allowed").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsGet405WithAllowHeader(String method) {
        HttpResponse<String> response = webhook.http2().send(webhook.http2().request("/validate")
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).build());

        assertStatus(response, 405, "MethodNotAllowed", "method " + method + " is not allowed");
        assertThat(response.headers().firstValue("Allow")).contains("POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/yaml"})
    void nonJsonContentTypeGets415(String contentType) {
        HttpResponse<String> response = webhook.http2().send(webhook.http2().request("/mutate")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(Fixtures.review("v1-create-http-proxy").toString())).build());

        assertStatus(response, 415, "UnsupportedMediaType", "'" + contentType + "' is not supported");
    }

    @Test
    void missingContentTypeGets415() {
        HttpResponse<String> response = webhook.http2().send(webhook.http2().request("/mutate")
                .POST(HttpRequest.BodyPublishers.ofString(Fixtures.review("v1-create-http-proxy").toString())).build());

        assertStatus(response, 415, "UnsupportedMediaType", "send the AdmissionReview as application/json");
    }

    @Test
    void jsonWithCharsetParameterIsAccepted() {
        HttpResponse<String> response = webhook.http2().send(webhook.http2().request("/validate")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(Fixtures.review("v1-create-clean").toString())).build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"apiVersion\": ", "not json at all", "[1, 2]", "{\"a\":1} trailing", "{\"kind\":\"A\",\"kind\":\"B\"}", ""})
    void malformedJsonGets400(String body) {
        HttpResponse<String> response = post("/validate", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(status(response).get("reason").asText()).isEqualTo("BadRequest");
    }

    @Test
    void duplicateKeyDeepInTheObjectGets400WithoutQuotingIt() {
        // Two readers could disagree on which protocol counts: the review is refused, not judged.
        String body = Fixtures.review("v1-create-http-proxy").toString()
                .replace("\"protocol\":\"HTTP\"", "\"protocol\":\"TCP\",\"protocol\":\"HTTP\"");
        assertThat(body).contains("\"protocol\":\"TCP\",\"protocol\":\"HTTP\"");

        HttpResponse<String> response = post("/validate", body);

        assertStatus(response, 400, "BadRequest", "an object has the same key twice");
        assertThat(status(response).get("message").asText()).doesNotContain("protocol");
    }

    @Test
    void reviewWithoutRequestGets400() {
        ObjectNode review = Fixtures.review("v1-create-http-proxy");
        review.remove("request");

        assertStatus(webhook.http2().post("/validate", review), 400, "BadRequest", "the AdmissionReview has no request");
    }

    @Test
    void reviewOfAnotherApiVersionGets400() {
        ObjectNode review = Fixtures.review("v1-create-http-proxy");
        review.put("apiVersion", "admission.k8s.io/v2");

        assertStatus(webhook.http2().post("/validate", review), 400, "BadRequest", "apiVersion 'admission.k8s.io/v2' is not");
    }

    @Test
    void reviewWithoutUidGets400() {
        ObjectNode review = Fixtures.review("v1-create-http-proxy");
        ((ObjectNode) review.get("request")).remove("uid");

        assertStatus(webhook.http2().post("/validate", review), 400, "BadRequest", "request.uid is required");
    }

    @Test
    void createWithoutObjectGets400() {
        ObjectNode review = Fixtures.review("v1-create-http-proxy");
        ((ObjectNode) review.get("request")).putNull("object");

        assertStatus(webhook.http2().post("/mutate", review), 400, "BadRequest", "request.object is required for CREATE");
    }

    @Test
    void objectThatIsNotAJsonObjectGets400() {
        ObjectNode review = Fixtures.review("v1-create-http-proxy");
        ((ObjectNode) review.get("request")).put("object", "a string");

        assertStatus(webhook.http2().post("/mutate", review), 400, "BadRequest", "request.object must be a JSON object");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void bodyOverSevenMebibytesGets413(HttpClient.Version version) {
        String body = reviewOfSize(AdmissionEndpoint.MAX_BODY_BYTES + 1024);

        HttpResponse<String> response = webhook.client(version).send(webhook.client(version).request("/validate")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());

        assertStatus(response, 413, "RequestEntityTooLarge", "the limit is 7340032 bytes");
    }

    @Test
    void bodyOverSevenMebibytesWithoutDeclaredLengthGets413() {
        byte[] body = reviewOfSize(AdmissionEndpoint.MAX_BODY_BYTES + 1024).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = webhook.http2().request("/validate").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();

        assertStatus(webhook.http2().send(request), 413, "RequestEntityTooLarge", "the limit is 7340032 bytes");
    }

    @Test
    void updateJustUnderTheCapIsJudged() {
        String body = reviewOfSize(AdmissionEndpoint.MAX_BODY_BYTES - 4096);

        HttpResponse<String> response = post("/validate", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(WebhookClient.parse(response.body()).at("/response/allowed").asBoolean()).isFalse();
    }

    @Test
    void unknownPathGets404Status() {
        assertStatus(post("/admit", Fixtures.review("v1-create-clean").toString()), 404, "NotFound", "use /mutate or /validate");
    }

    @Test
    void internalErrorGets500SoTheFailurePolicyDecides() {
        double errors = webhook.metric("proxyguard_admission_requests_total{kind=\"ServiceEntry\",operation=\"CREATE\",outcome=\"error\",webhook=\"validate\"}");
        webhook.view.set(failingView());

        HttpResponse<String> response = webhook.http2().post("/validate", Fixtures.review("v1-create-http-proxy"));

        assertStatus(response, 500, "InternalError", "the webhook's failurePolicy decides");
        assertThat(response.body()).doesNotContain("informer cache");
        assertThat(webhook.metric("proxyguard_admission_requests_total{kind=\"ServiceEntry\",operation=\"CREATE\",outcome=\"error\",webhook=\"validate\"}"))
                .isEqualTo(errors + 1);
    }

    @Test
    void badRequestsAreCountedWithoutRequestLabels() {
        double before = webhook.metric("proxyguard_admission_requests_total{kind=\"unknown\",operation=\"unknown\",outcome=\"bad_request\",webhook=\"mutate\"}");

        post("/mutate", "{");

        assertThat(webhook.metric("proxyguard_admission_requests_total{kind=\"unknown\",operation=\"unknown\",outcome=\"bad_request\",webhook=\"mutate\"}"))
                .isEqualTo(before + 1);
    }

    private HttpResponse<String> post(String path, String body) {
        return webhook.http2().send(webhook.http2().request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** An UPDATE review of the HTTP proxy whose old and new objects carry one large annotation each. */
    private static String reviewOfSize(long bytes) {
        ObjectNode review = Fixtures.review("v1-update-labels-only");
        int overhead = review.toString().length();
        int each = (int) ((bytes - overhead) / 2) - 64;
        String filler = "x".repeat(each);
        for (String field : List.of("object", "oldObject")) {
            ((ObjectNode) review.at("/request/" + field + "/metadata")).putObject("annotations").put("example.com/blob", filler);
        }
        ((ObjectNode) review.get("request")).put("operation", "CREATE");
        String text = review.toString();
        return text + " ".repeat((int) Math.max(0, bytes - text.length()));
    }

    private static void assertStatus(HttpResponse<String> response, int code, String reason, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode status = status(response);
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(status.get("status").asText()).isEqualTo("Failure");
        assertThat(status.get("code").asInt()).isEqualTo(code);
        assertThat(status.get("reason").asText()).isEqualTo(reason);
        assertThat(status.get("message").asText()).contains(messagePart);
    }

    private static JsonNode status(HttpResponse<String> response) {
        return WebhookClient.parse(response.body());
    }

    /** A cluster view that fails, every method, as an informer-backed one might when its cache breaks. */
    private static ClusterView failingView() {
        return org.mockito.Mockito.mock(ClusterView.class, invocation -> {
            throw new IllegalStateException("informer cache not synced");
        });
    }
}
