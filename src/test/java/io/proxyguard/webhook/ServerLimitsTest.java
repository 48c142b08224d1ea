package io.proxyguard.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook port's limits against misbehaving clients on real sockets: clients that trickle headers or
 * a body and then go silent are cut off after the idle timeout while real reviews keep being answered;
 * requests beyond the concurrency cap wait for a slot as long as they can still be answered in time, and only
 * those that cannot get 429 with Retry-After, counted in /metrics.
 */
class ServerLimitsTest {

    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String WAITING = "proxyguard_admission_waiting_requests";
    private static final String REFUSED =
            "proxyguard_admission_requests_total{kind=\"unknown\",operation=\"unknown\",outcome=\"refused\",webhook=\"validate\"}";

    @TempDir
    Path dir;

    @Test
    void clientsTricklingHeadersAreCutOffWhileOthersAreServed() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty(), IDLE, 2, Optional.empty())) {
            List<RawTlsConnection> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RawTlsConnection connection = new RawTlsConnection(webhook, PATIENCE);
                connection.send("POST /validate HTTP/1.1\r\nHo");
                slow.add(connection);
            }
            WebhookClient client = webhook.http2();
            for (int round = 0; round < 3; round++) {
                for (RawTlsConnection connection : slow) {
                    try {
                        connection.send("s"); // a byte now and then, slower than any real client
                    } catch (java.net.SocketException cutOff) {
                        // already cut off: on a loaded machine the reviews below can take longer than the idle timeout
                    }
                }
                for (int i = 0; i < 5; i++) {
                    assertThat(client.review("/validate", Fixtures.review("v1-create-http-proxy")).at("/response/allowed").asBoolean()).isFalse();
                }
                Thread.sleep(IDLE.toMillis() / 3);
            }
            for (RawTlsConnection connection : slow) {
                String answer = connection.readUntilClosed(); // silent from here on: closed after the idle timeout
                assertThat(answer).doesNotContain("200 OK");
                connection.close();
            }
        }
    }

    @Test
    void aBodyThatStopsArrivingGets408AndFreesItsSlot() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty(), IDLE, 1, Optional.empty());
             RawTlsConnection connection = new RawTlsConnection(webhook, PATIENCE)) {
            byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
            connection.send("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + review.length + "\r\n\r\n");
            connection.send(java.util.Arrays.copyOf(review, review.length / 2));

            String answer = connection.readUntilClosed();

            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"kind\":\"Status\"").contains("did not arrive");
            assertThat(webhook.http2().review("/validate", Fixtures.review("v1-create-http-proxy")).at("/response/allowed").asBoolean()).isFalse();
        }
    }

    @Test
    void headersOver8KibGet431() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty(), IDLE, 2, Optional.empty());
             RawTlsConnection connection = new RawTlsConnection(webhook, PATIENCE)) {
            try {
                connection.send("POST /validate HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + "a".repeat(9 * 1024) + "\r\n\r\n");
            } catch (java.net.SocketException e) {
                // Jetty may answer and close before the client has written its last bytes; the answer is still there to read
            }

            assertThat(connection.readUntilClosed()).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void aBurstBeyondTheCapWaitsForSlotsAndIsAnsweredInFull() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty(), PATIENCE, 2, Optional.empty())) {
            byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
            List<RawTlsConnection> held = holdSlots(webhook, 2, review);
            WebhookClient client = webhook.http2();
            // Far more than the cap: with the API server's default timeout (10 s) each may wait 5 s for a slot.
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> post(client, "/validate", review)));
            }
            awaitMetric(webhook, WAITING, 12);

            releaseSlots(held, review);

            assertThat(burst.stream().map(CompletableFuture::join)).allSatisfy(response -> {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(WebhookClient.parse(response.body()).at("/response/allowed").asBoolean()).isFalse();
            });
            assertThat(webhook.metric(WAITING)).isZero();
            assertThat(webhook.metric(REFUSED)).isZero();
        }
    }

    @Test
    void aReviewThatCannotStartInHalfItsTimeoutGets429WithRetryAfterAndIsCounted() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty(), PATIENCE, 2, Optional.empty())) {
            byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
            List<RawTlsConnection> held = holdSlots(webhook, 2, review);
            WebhookClient client = webhook.http2();
            // The API server announces its timeout in the query: 1s leaves these 500 ms to find a slot, and none frees up.
            List<CompletableFuture<HttpResponse<String>>> late = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                late.add(CompletableFuture.supplyAsync(() -> post(client, "/validate?timeout=1s", review)));
            }

            assertThat(late.stream().map(CompletableFuture::join)).allSatisfy(response -> {
                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.headers().firstValue("Retry-After")).contains("1");
                assertThat(WebhookClient.parse(response.body()).path("kind").asText()).isEqualTo("Status");
                assertThat(WebhookClient.parse(response.body()).path("reason").asText()).isEqualTo("TooManyRequests");
            });
            assertThat(webhook.metric(REFUSED)).isEqualTo(3.0);
            releaseSlots(held, review);
            assertThat(post(client, "/validate?timeout=1s", review).statusCode()).isEqualTo(200);
            assertThat(webhook.metric(REFUSED)).as("answered reviews are not refusals").isEqualTo(3.0);
        }
    }

    /** {@code count} HTTP/1.1 requests that take a slot each and hold it: their bodies stop after 10 bytes. */
    private static List<RawTlsConnection> holdSlots(RunningWebhook webhook, int count, byte[] review) throws Exception {
        List<RawTlsConnection> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawTlsConnection connection = new RawTlsConnection(webhook, PATIENCE);
            connection.send("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + review.length + "\r\n\r\n");
            connection.send(Arrays.copyOf(review, 10));
            held.add(connection);
        }
        awaitMetric(webhook, "proxyguard_admission_in_flight_requests{webhook=\"validate\"}", count);
        return held;
    }

    /** Sends the rest of each held body: each review is answered and its slot freed. */
    private static void releaseSlots(List<RawTlsConnection> held, byte[] review) throws Exception {
        for (RawTlsConnection connection : held) {
            connection.send(Arrays.copyOfRange(review, 10, review.length));
            assertThat(connection.readUntilClosed()).startsWith("HTTP/1.1 200");
            connection.close();
        }
    }

    private static HttpResponse<String> post(WebhookClient client, String path, byte[] review) {
        return client.send(client.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build());
    }

    private static void awaitMetric(RunningWebhook webhook, String sample, double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (webhook.metric(sample) < atLeast) {
            assertThat(System.nanoTime()).as("%s reaches %s", sample, atLeast).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
