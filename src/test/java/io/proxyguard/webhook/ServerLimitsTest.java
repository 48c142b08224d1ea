package io.proxyguard.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook port's limits against misbehaving clients on real sockets: clients that trickle headers or
 * a body and then go silent are cut off after the idle timeout while real reviews keep being answered,
 * and requests beyond the concurrency cap get 503 with Retry-After instead of piling up.
 */
class ServerLimitsTest {

    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

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
                    connection.send("s"); // a byte now and then, slower than any real client
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
    void requestsBeyondTheCapGet503WithRetryAfterAndTheServerRecovers() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty(), PATIENCE, 2, Optional.empty())) {
            byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
            List<RawTlsConnection> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RawTlsConnection connection = new RawTlsConnection(webhook, PATIENCE);
                connection.send("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
                        + "Content-Length: " + review.length + "\r\n\r\n");
                connection.send(java.util.Arrays.copyOf(review, 10));
                held.add(connection);
            }
            awaitInFlight(webhook, 2);
            WebhookClient client = webhook.http2();
            // two wait in line for a slot (the line is as long as the cap), a third finds the line full
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> post(client, review)));
            }
            List<HttpResponse<String>> overflow = waiting.stream().map(java.util.concurrent.CompletableFuture::join).toList();

            assertThat(overflow).allSatisfy(response -> {
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).contains("1");
                assertThat(WebhookClient.parse(response.body()).path("kind").asText()).isEqualTo("Status");
            });
            for (RawTlsConnection connection : held) {
                connection.send(java.util.Arrays.copyOfRange(review, 10, review.length));
                assertThat(connection.readUntilClosed()).startsWith("HTTP/1.1 200");
                connection.close();
            }
            assertThat(post(client, review).statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> post(WebhookClient client, byte[] review) {
        return client.send(client.request("/validate").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build());
    }

    private static void awaitInFlight(RunningWebhook webhook, int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (webhook.metric("proxyguard_admission_in_flight_requests{webhook=\"validate\"}") < count) {
            assertThat(System.nanoTime()).as("%d reviews in flight", count).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
