package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Denial of service through the rules: the largest objects the API server would send still get a complete
 * answer. A ServiceEntry with 256 hosts, 256 addresses and 256 ports, and a Deployment with 100 containers
 * of 500 variables each, go through the real TLS port to both webhooks. The time per review is printed
 * (docs/reliability.md quotes it) and not asserted: wall-clock limits make flaky tests on shared machines.
 */
class LargeObjectTest {

    @TempDir
    Path dir;

    @Test
    void aServiceEntryWith256HostsAddressesAndPortsIsJudgedCompletely() throws Exception {
        ObjectNode entry = Fixtures.example("broken/pg101-http-protocol.yaml");
        ObjectNode spec = entry.with("spec");
        ArrayNode hosts = spec.putArray("hosts");
        ArrayNode addresses = spec.putArray("addresses");
        ArrayNode ports = spec.putArray("ports");
        for (int i = 0; i < 256; i++) {
            hosts.add("host-" + i + ".example.com");
            addresses.add("10.20." + i + ".5/32");
            ports.addObject().put("number", 3000 + i).put("name", "http-" + i).put("protocol", "HTTP");
        }
        ports.addObject().put("number", 3128).put("name", "proxy").put("protocol", "HTTP");
        addresses.add("10.10.0.5/32");

        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.of(Fixtures.exampleConfig()))) {
            ObjectNode validated = timed("ServiceEntry 256 hosts x 256 addresses x 257 ports", webhook, "/validate", entry);
            ObjectNode mutated = timed("ServiceEntry 256 hosts x 256 addresses x 257 ports", webhook, "/mutate", entry);

            assertThat(validated.at("/response/allowed").asBoolean()).isFalse();
            assertThat(validated.at("/response/status/message").asText()).contains("PG101");
            assertThat(mutated.at("/response/patchType").asText()).isEqualTo("JSONPatch");
        }
    }

    @Test
    void aDeploymentWith100ContainersOf500VariablesIsJudgedCompletely() throws Exception {
        ObjectNode deployment = HostileReviews.deploymentWithProxyVariables();
        ArrayNode containers = deployment.with("spec").with("template").with("spec").putArray("containers");
        for (int c = 0; c < 100; c++) {
            ArrayNode env = containers.addObject().put("name", "c" + c).put("image", "app:1").putArray("env");
            for (int v = 0; v < 497; v++) {
                env.addObject().put("name", "VAR_" + v).put("value", "value-" + v);
            }
            env.addObject().put("name", "HTTPS_PROXY").put("value", "http://user:pw@10.10.0.5:3128");
            env.addObject().put("name", "http_proxy").put("value", "my-company-proxy.com:3128");
            env.addObject().put("name", "NO_PROXY").put("value", ".svc");
        }

        try (RunningWebhook webhook = RunningWebhook.start(dir, Optional.of(Fixtures.exampleConfig()))) {
            ObjectNode validated = timed("Deployment 100 containers x 500 env", webhook, "/validate", deployment);

            assertThat(validated.at("/response/allowed").isBoolean()).isTrue();
            assertThat(validated.at("/response/warnings").toString()).contains("PG202").contains("more warnings not shown");
        }
    }

    /** Sends the review a few times (the first warms the JIT up) and prints the best and worst time. */
    private static ObjectNode timed(String what, RunningWebhook webhook, String path, ObjectNode object) {
        ObjectNode review = Fixtures.createReviewOf(object);
        WebhookClient client = webhook.http2();
        ObjectNode answer = null;
        Duration best = Duration.ofDays(1);
        Duration worst = Duration.ZERO;
        for (int i = 0; i < 6; i++) {
            long started = System.nanoTime();
            answer = client.review(path, review);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            best = took.compareTo(best) < 0 ? took : best;
            worst = took.compareTo(worst) > 0 ? took : worst;
        }
        System.out.printf("large object: %s %s, %d bytes: best %.1f ms, worst (first, cold JIT) %.1f ms, over TLS round trip%n",
                what, path, review.toString().length(), best.toNanos() / 1e6, worst.toNanos() / 1e6);
        return answer;
    }
}
