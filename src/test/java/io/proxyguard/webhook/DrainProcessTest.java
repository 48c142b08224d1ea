package io.proxyguard.webhook;

import io.proxyguard.tls.CertificateFiles;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.proxyguard.webhook.VertxClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real client that keeps its connections open across SIGTERM, against a real {@code serve} process: HTTP/2 (one
 * connection, eight streams at a time) and HTTP/1.1 (four keep-alive connections) send reviews back to back before,
 * during and after the shutdown delay. Every request that was sent gets a 200; the only requests that get no
 * answer are those whose connection could not be made or was closed before the request went out (the port has
 * closed), or, over HTTP/2, streams above the last stream id of the final GOAWAY, which the server did not
 * process and says so (RFC 9113 §6.8: safe to retry, as the API server's Go client does). Never a 503, never a
 * request lost once sent: serve's review log counts exactly the 200s the clients got. The client is Vert.x,
 * which like the API server's Go client keeps connections open, moves to a new connection on GOAWAY and honours
 * {@code Connection: close}.
 */
class DrainProcessTest {

    private static final Duration PATIENCE = VertxClients.PATIENCE;

    @TempDir
    Path dir;

    @Test
    void everyRequestSentAcrossSigtermIsAnsweredAndNoneGets503() throws Exception {
        Process process = ServeProcesses.serve("--certs-dir", dir.resolve("certs").toString(), "--shutdown-delay", "2s");
        try (VertxClients clients = new VertxClients()) {
            StringBuilder log = new StringBuilder();
            int port = ServeProcesses.awaitPorts(process, log)[0];
            byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
            AtomicBoolean sigterm = new AtomicBoolean();
            CertificateFiles trusted = new CertificateFiles(dir.resolve("certs"));
            Client http2 = new Client(clients.client(HttpVersion.HTTP_2, trusted, port), review, sigterm);
            Client http1 = new Client(clients.client(HttpVersion.HTTP_1_1, trusted, port), review, sigterm);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Thread worker = new Thread(i < 8 ? http2::sendUntilThePortCloses : http1::sendUntilThePortCloses);
                worker.start();
                workers.add(worker);
            }
            awaitAnswers(http2, http1, 100);

            process.toHandle().destroy(); // SIGTERM
            sigterm.set(true);
            for (Thread worker : workers) {
                worker.join(PATIENCE.toMillis());
                assertThat(worker.isAlive()).as("a client still sending %s after SIGTERM", PATIENCE).isFalse();
            }

            assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("serve exited").isTrue();
            assertThat(process.exitValue()).isZero();
            for (Client client : List.of(http2, http1)) {
                assertThat(client.failures).as("requests sent but not answered with 200").isEmpty();
                assertThat(client.answeredAfterSigterm.get()).as("requests sent and answered while draining").isPositive();
                assertThat(client.notSent.get()).as("requests that found the port closed").isPositive();
            }
            int answered = http2.answered.get() + http1.answered.get();
            assertThat(reviewsLogged(log, answered)).as("reviews serve answered, against the 200s the clients got "
                    + "(HTTP/2 streams refused unprocessed by the final GOAWAY: %d)", http2.refusedByGoAway.get()).isEqualTo(answered);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The review log lines serve wrote, once they stop coming (its output is read in the background). */
    private static long reviewsLogged(StringBuilder log, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long count;
        while ((count = count(log)) != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return count;
    }

    private static long count(StringBuilder log) {
        synchronized (log) {
            return log.toString().lines().filter(l -> l.contains("admission review webhook=validate")).count();
        }
    }

    private static void awaitAnswers(Client a, Client b, int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (a.answered.get() < count || b.answered.get() < count) {
            assertThat(a.failures).isEmpty();
            assertThat(b.failures).isEmpty();
            assertThat(System.nanoTime()).as("%d answers on each protocol", count).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** One protocol's client and what its requests got. */
    private static final class Client {

        final HttpClient http;
        final byte[] review;
        final AtomicBoolean sigterm;
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger answeredAfterSigterm = new AtomicInteger();
        final AtomicInteger notSent = new AtomicInteger();
        final AtomicInteger refusedByGoAway = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();

        Client(HttpClient http, byte[] review, AtomicBoolean sigterm) {
            this.http = http;
            this.review = review;
            this.sigterm = sigterm;
        }

        /** Sends reviews one after the other until, after SIGTERM, a request finds no connection. */
        void sendUntilThePortCloses() {
            long deadline = System.nanoTime() + PATIENCE.toNanos() * 2;
            while (System.nanoTime() < deadline) {
                boolean afterSigterm = sigterm.get();
                HttpClientRequest request;
                try {
                    request = await(http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/validate")
                            .putHeader("Content-Type", "application/json").putHeader("Content-Length", String.valueOf(review.length))));
                } catch (Exception noConnection) {
                    notSent.incrementAndGet();
                    if (afterSigterm) {
                        return;
                    }
                    continue;
                }
                Future<Integer> status = request.response().compose(r -> r.body().map(body -> r.statusCode()));
                try {
                    await(request.sendHead());
                } catch (Exception closedBeforeSending) {
                    notSent.incrementAndGet();
                    continue;
                }
                try {
                    await(request.end(Buffer.buffer(review)));
                } catch (Exception notWritten) {
                    // what became of the request shows in its status below
                }
                try {
                    int code = await(status);
                    if (code != 200) {
                        failures.add("HTTP " + code);
                    } else {
                        answered.incrementAndGet();
                        if (afterSigterm) {
                            answeredAfterSigterm.incrementAndGet();
                        }
                    }
                } catch (HttpClosedException closed) {
                    if (closed.goAway() != null && closed.goAway().getLastStreamId() < request.streamId()) {
                        refusedByGoAway.incrementAndGet(); // not processed, and the server said so
                    } else {
                        failures.add("sent but not answered: " + closed);
                    }
                } catch (Exception lost) {
                    failures.add("sent but not answered: " + lost);
                }
            }
            failures.add("still sending after " + PATIENCE.multipliedBy(2));
        }
    }
}
