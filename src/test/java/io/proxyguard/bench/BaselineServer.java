package io.proxyguard.bench;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.webhook.AdmissionEndpoint;
import io.proxyguard.webhook.AdmissionJson;
import io.proxyguard.webhook.ServeSettings;
import io.proxyguard.webhook.ServingCertificate;
import io.proxyguard.webhook.WebhookApp;
import io.proxyguard.webhook.WebhookMetrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's baseline: the webhook's own server stack ({@link WebhookApp}: Javalin, Jetty, the TLS
 * connector with HTTP/2 and HTTP/1.1, the serving certificate) on {@code /mutate} and {@code /validate},
 * but each answers a constant {@code allowed: true} AdmissionReview after reading the body, with no JSON
 * parsing, no rules, no metrics and no log line, written as ProxyGuard writes its answers. What ProxyGuard costs is its throughput and latency
 * against this server's, measured in the same run ({@code bench/webhook-load.sh}).
 *
 * <p>Usage: {@code java -cp target/proxyguard.jar:target/test-classes io.proxyguard.bench.BaselineServer
 * PORT TLS_CERT TLS_KEY}; stops on SIGTERM.
 */
public final class BaselineServer {

    static final byte[] ALLOWED = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"","allowed":true}}"""
            .getBytes(StandardCharsets.UTF_8);

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BaselineServer PORT TLS_CERT TLS_KEY");
            System.exit(2);
        }
        Javalin server = start(Integer.parseInt(args[0]), Path.of(args[1]), Path.of(args[2]));
        System.err.println("baseline listening on https://127.0.0.1:" + server.port() + "/mutate and /validate");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Starts the baseline on loopback; {@code port} 0 picks a free one. */
    static Javalin start(int port, Path certificate, Path key) throws Exception {
        ServeSettings settings = new ServeSettings(Optional.empty(), "127.0.0.1", port, 0,
                Optional.of(certificate), Optional.of(key), Path.of("certs"), Duration.ofSeconds(2), Duration.ofSeconds(5));
        WebhookMetrics metrics = new WebhookMetrics(new PrometheusRegistry());
        ServingCertificate serving = new ServingCertificate(certificate, key, metrics);
        Handler allowAll = BaselineServer::allow;
        return WebhookApp.create(Map.of("mutate", allowAll, "validate", allowAll), serving, new AdmissionJson(), settings, metrics)
                .javalin().start();
    }

    /** Reads the body and writes the constant answer the way ProxyGuard writes its own. */
    private static void allow(Context ctx) throws IOException {
        ctx.bodyAsBytes();
        AdmissionEndpoint.send(ctx, 200, ALLOWED);
    }
}
