package io.proxyguard.webhook;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.proxyguard.webhook.VertxClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client with connections already open sees while the webhook drains ({@link WebhookServer#drain()}, the
 * SIGTERM shutdown delay): every request is still answered; an HTTP/2 connection gets a GOAWAY that refuses nothing
 * (last stream id 2^31-1), so the stream in flight is answered on it and the next request goes over a new
 * connection; an HTTP/1.1 answer says {@code Connection: close} and the connection closes after it.
 */
class DrainTest {

    private static final Duration PATIENCE = VertxClients.PATIENCE;

    @TempDir
    Path dir;

    @Test
    void http2ConnectionsGetAGoAwayThatRefusesNothingAndEveryStreamIsAnswered() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty()); VertxClients clients = new VertxClients()) {
            byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
            HttpClient client = clients.client(HttpVersion.HTTP_2, webhook.certificates, webhook.server.port());
            Answer first = await(client.request(post()).compose(request -> answer(request.send(Buffer.buffer(review)))));
            assertThat(first.version()).isEqualTo(HttpVersion.HTTP_2);

            // A stream in flight on that connection when the drain begins: half of its body sent.
            HttpClientRequest inFlight = await(client.request(post()));
            HttpConnection connection = inFlight.connection();
            CompletableFuture<GoAway> goAway = new CompletableFuture<>();
            connection.goAwayHandler(goAway::complete);
            inFlight.putHeader("Content-Length", String.valueOf(review.length));
            Future<Answer> inFlightAnswer = answer(inFlight.response());
            await(inFlight.write(Buffer.buffer(Arrays.copyOf(review, review.length / 2))));
            awaitInFlight(webhook, 1);

            webhook.server.drain();

            GoAway received = goAway.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(received.getLastStreamId()).as("the first, graceful GOAWAY").isEqualTo(Integer.MAX_VALUE);
            assertThat(received.getErrorCode()).isZero();
            await(inFlight.end(Buffer.buffer(Arrays.copyOfRange(review, review.length / 2, review.length))));
            Answer answered = await(inFlightAnswer);
            assertThat(answered.status()).as("the stream in flight is answered").isEqualTo(200);
            assertThat(answered.body()).contains("\"allowed\":false");

            HttpClientRequest next = await(client.request(post()));
            Answer afterGoAway = await(answer(next.send(Buffer.buffer(review))));
            assertThat(afterGoAway.status()).as("a request after the GOAWAY is still answered while draining").isEqualTo(200);
            assertThat(next.connection()).as("it went over a new connection").isNotSameAs(connection);
            assertThat(webhook.health("/readyz").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void http1AnswersCloseTheirConnectionWhileDraining() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty());
             RawTlsConnection keptOpen = new RawTlsConnection(webhook, PATIENCE)) {
            byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
            String request = "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + review.length + "\r\n\r\n";
            keptOpen.send(request);
            keptOpen.send(review);
            assertThat(keptOpen.readAnswer()).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("Connection: close");

            webhook.server.drain();
            keptOpen.send(request);
            keptOpen.send(review);

            String answer = keptOpen.readUntilClosed();
            assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close").contains("\"allowed\":false");
        }
    }

    private static RequestOptions post() {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI("/validate").putHeader("Content-Type", "application/json");
    }

    /** A response read in full. */
    private record Answer(int status, HttpVersion version, String body) {
    }

    /** The response with its body, collected as it arrives. */
    private static Future<Answer> answer(Future<HttpClientResponse> response) {
        return response.compose(r -> r.body().map(body -> new Answer(r.statusCode(), r.version(), body.toString())));
    }

    private static void awaitInFlight(RunningWebhook webhook, int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (webhook.metric("proxyguard_admission_in_flight_requests{webhook=\"validate\"}") < count) {
            assertThat(System.nanoTime()).as("%d reviews in flight", count).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
