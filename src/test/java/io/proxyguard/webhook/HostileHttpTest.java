package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.hostile.HostileJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile corpus through the real server: HTTPS on loopback, HTTP/2, both webhook paths. Every answer
 * is 200 with an AdmissionReview or a 4xx with a JSON {@code Status}, never a 5xx; afterwards no server
 * thread has died, no review was counted as an internal error, and a real review is still judged.
 */
class HostileHttpTest {

    private static RunningWebhook webhook;
    private static WebhookClient client;
    private static final List<Throwable> UNCAUGHT = new CopyOnWriteArrayList<>();
    private static Thread.UncaughtExceptionHandler previous;

    @BeforeContainer
    static void start() throws Exception {
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> UNCAUGHT.add(e));
        webhook = RunningWebhook.start(Files.createTempDirectory("hostile-http"), Optional.of(Fixtures.exampleConfig()));
        client = webhook.http2();
    }

    @AfterContainer
    static void checkAndStop() {
        try {
            ObjectNodeAnswer.assertDenied(client.review("/validate", Fixtures.review("v1-create-http-proxy")));
            assertThat(webhook.health("/metrics").body()).doesNotContainPattern("outcome=\"error\"\\} [1-9]");
            assertThat(UNCAUGHT).isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            webhook.close();
        }
    }

    @Property(seed = "7201", tries = 2000)
    void everyBodyGetsAReviewOrA4xxStatus(@ForAll("bodies") byte[] body, @ForAll("paths") String path) {
        HttpResponse<String> response = client.send(client.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        JsonNode answer = HostileJson.read(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (response.statusCode() == 200) {
            assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
            assertThat(answer.path("response").path("allowed").isBoolean()).isTrue();
        } else {
            assertThat(response.statusCode()).isBetween(400, 499);
            assertThat(answer.path("kind").asText()).isEqualTo("Status");
            assertThat(answer.path("message").asText()).isNotBlank();
        }
        Statistics.collect(response.statusCode());
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        List<JsonNode> bases = HostileReviews.asNodes();
        return Arbitraries.oneOf(HostileJson.damaged(bases), HostileJson.changed(bases), HostileJson.deepNesting());
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/validate", "/mutate");
    }

    /** The check that the server still judges a real review after the corpus. */
    private static final class ObjectNodeAnswer {
        static void assertDenied(JsonNode answer) {
            assertThat(answer.at("/response/allowed").asBoolean(true)).isFalse();
        }
    }
}
