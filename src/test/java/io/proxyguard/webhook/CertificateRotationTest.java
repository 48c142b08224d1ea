package io.proxyguard.webhook;

import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.CertificateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate files replaced on disk (as when a Kubernetes Secret is rotated) are picked up without a
 * restart while reviews keep flowing, over connections opened before and after the change, with not a
 * single failed request.
 */
class CertificateRotationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void rotatedCertificateIsServedWithoutFailingAnyRequest() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty())) {
            BigInteger oldSerial = webhook.server.certificate().current().certificate().getSerialNumber();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger requests = new AtomicInteger();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> loops = new ArrayList<>();
            // One long-lived connection per protocol: it was opened on the old certificate and must keep working.
            loops.add(pool.submit(() -> loop(webhook.client(HttpClient.Version.HTTP_2), running, requests, failures)));
            loops.add(pool.submit(() -> loop(webhook.client(HttpClient.Version.HTTP_1_1), running, requests, failures)));
            // A new client (new TLS handshake) for every request: it sees the switch.
            loops.add(pool.submit(() -> {
                while (running.get()) {
                    once(webhook.http2(), requests, failures);
                }
            }));

            awaitRequests(requests, 20);
            CertificateAndKey next = rotate(webhook.certificates);
            BigInteger served = awaitServedSerial(webhook, next.certificate().getSerialNumber());
            int atRotation = requests.get();
            awaitRequests(requests, atRotation + 20);
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            pool.shutdown();

            assertThat(served).isEqualTo(next.certificate().getSerialNumber()).isNotEqualTo(oldSerial);
            assertThat(failures).as("failed requests").isEmpty();
            assertThat(requests.get()).isGreaterThan(40);
            assertThat(webhook.metric("proxyguard_tls_certificate_reloads_total{result=\"success\"}")).isEqualTo(1.0);
            assertThat(webhook.metric("proxyguard_tls_certificate_expiry_timestamp_seconds"))
                    .isEqualTo((double) next.notAfter().getEpochSecond());
        }
    }

    @Test
    void brokenReplacementIsRefusedAndTheOldCertificateStays() throws Exception {
        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.empty())) {
            BigInteger oldSerial = webhook.server.certificate().current().certificate().getSerialNumber();
            // A key that belongs to another certificate: a half-finished rotation.
            CertificateAndKey other = webhook.certificates.readAuthority().issueServing(List.of("localhost"), List.of(), Duration.ofDays(1));
            CertificateFiles.writeAtomically(webhook.certificates.tlsKey(), other.privateKeyPem(), true);

            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (webhook.metric("proxyguard_tls_certificate_reloads_total{result=\"failure\"}") < 1) {
                assertThat(System.nanoTime()).as("reload attempt within %s", DEADLINE).isLessThan(deadline);
                Thread.sleep(50);
            }
            HttpResponse<String> response = webhook.http2().post("/validate", Fixtures.review("v1-create-clean"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(peerSerial(response)).isEqualTo(oldSerial);
            assertThat(webhook.health("/readyz").statusCode()).isEqualTo(200);
        }
    }

    /** Issues a new serving certificate from the same CA and writes key then certificate, as two separate writes. */
    private static CertificateAndKey rotate(CertificateFiles files) throws Exception {
        CertificateAndKey next = files.readAuthority().issueServing(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(30));
        CertificateFiles.writeAtomically(files.tlsKey(), next.privateKeyPem(), true);
        CertificateFiles.writeAtomically(files.tlsCert(), next.certificatePem(), false);
        return next;
    }

    private static BigInteger awaitServedSerial(RunningWebhook webhook, BigInteger wanted) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        BigInteger served;
        do {
            assertThat(System.nanoTime()).as("new certificate served within %s", DEADLINE).isLessThan(deadline);
            Thread.sleep(50);
            served = peerSerial(webhook.http2().post("/validate", Fixtures.review("v1-create-clean")));
        } while (!served.equals(wanted));
        return served;
    }

    private static void awaitRequests(AtomicInteger requests, int count) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (requests.get() < count) {
            assertThat(System.nanoTime()).as("%s requests within %s", count, DEADLINE).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void loop(WebhookClient client, AtomicBoolean running, AtomicInteger requests, List<String> failures) {
        while (running.get()) {
            once(client, requests, failures);
        }
    }

    private static void once(WebhookClient client, AtomicInteger requests, List<String> failures) {
        try {
            HttpResponse<String> response = client.post("/validate", Fixtures.review("v1-create-http-proxy"));
            boolean denied = response.statusCode() == 200 && response.body().contains("\"allowed\":false");
            if (!denied) {
                failures.add(response.statusCode() + " " + response.body());
            }
        } catch (RuntimeException e) {
            failures.add(e.toString());
        }
        requests.incrementAndGet();
    }

    private static BigInteger peerSerial(HttpResponse<String> response) {
        try {
            return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new AssertionError(e);
        }
    }
}
