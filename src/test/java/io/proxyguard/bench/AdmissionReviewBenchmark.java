package io.proxyguard.bench;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.webhook.AdmissionEndpoint;
import io.proxyguard.webhook.AdmissionJson;
import io.proxyguard.webhook.Evaluator;
import io.proxyguard.webhook.MutatingHandler;
import io.proxyguard.webhook.ReviewLog;
import io.proxyguard.webhook.ValidatingHandler;
import io.proxyguard.webhook.WebhookMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What ProxyGuard adds to each request on top of the HTTP stack: {@link AdmissionEndpoint#review}, from
 * the request body to the answer's bytes (parse, judge or fix, render, metrics, log line), for the
 * request {@code bench/webhook-load.sh} sends. Run with {@code bench/rules.sh AdmissionReviewBenchmark -prof gc}
 * to see bytes allocated per review, which decide how often the chart's small heap collects.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The collector the chart's pods get (JDK 17 picks SerialGC below 1792 MiB), on a fixed heap: with the
// default G1 and a heap sized from the host, G1's concurrent work on 2 cores made single iterations 5 to 10x slower.
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms1g", "-Xmx1g"})
public class AdmissionReviewBenchmark {

    static final String REQUEST = "/admission/v1-create-http-proxy.json";

    private byte[] body;
    private AdmissionEndpoint validate;
    private AdmissionEndpoint mutate;

    @Setup
    public void setUp() throws IOException {
        try (InputStream in = AdmissionReviewBenchmark.class.getResourceAsStream(REQUEST)) {
            body = in.readAllBytes();
        }
        PolicyEngine engine = new PolicyEngine(Fixtures.exampleConfig());
        Evaluator evaluator = new Evaluator(() -> engine, () -> ClusterView.EMPTY);
        AdmissionJson json = new AdmissionJson();
        WebhookMetrics metrics = new WebhookMetrics(new PrometheusRegistry());
        ReviewLog log = new ReviewLog();
        validate = new AdmissionEndpoint("validate", new ValidatingHandler(evaluator), json, metrics, log);
        mutate = new AdmissionEndpoint("mutate", new MutatingHandler(evaluator), json, metrics, log);
        require("/validate denies the HTTP proxy entry", validate.review(body, System.nanoTime()), "\"allowed\":false");
        require("/mutate patches it", mutate.review(body, System.nanoTime()), "\"patch\":");
    }

    private static void require(String what, AdmissionEndpoint.Reply reply, String expected) {
        String answer = new String(reply.body(), StandardCharsets.UTF_8);
        if (reply.status() != 200 || !answer.contains(expected)) {
            throw new IllegalStateException("benchmark input is wrong: expected " + what + ", got " + reply.status() + " " + answer);
        }
    }

    @Benchmark
    public AdmissionEndpoint.Reply validate() {
        return validate.review(body, System.nanoTime());
    }

    @Benchmark
    public AdmissionEndpoint.Reply mutate() {
        return mutate.review(body, System.nanoTime());
    }
}
