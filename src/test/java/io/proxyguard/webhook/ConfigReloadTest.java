package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.tls.CertificateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration file is re-read when it changes: a valid new file takes effect without a restart,
 * a broken one is refused and the configuration in force stays.
 */
class ConfigReloadTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void changedConfigTakesEffectAndBrokenConfigIsRefused() throws Exception {
        Path config = dir.resolve("proxyguard.yaml");
        String original = Files.readString(Fixtures.exampleConfig());
        Files.writeString(config, original);
        try (RunningWebhook webhook = RunningWebhook.start(dir.resolve("certs"), Optional.of(config))) {
            assertThat(validate(webhook).get("allowed").asBoolean()).as("PG101 denies by default").isFalse();

            CertificateFiles.writeAtomically(config, original + "rules:\n  PG101: warn\n", false);
            JsonNode relaxed = await(webhook, response -> response.get("allowed").asBoolean());

            assertThat(relaxed.get("warnings").get(0).asText()).startsWith("PG101: port 3128 is HTTP");
            assertThat(webhook.metric("proxyguard_config_reloads_total{result=\"success\"}")).isEqualTo(1.0);

            CertificateFiles.writeAtomically(config, original + "rules:\n  PG101: maybe\n  PG999: deny\n", false);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (webhook.metric("proxyguard_config_reloads_total{result=\"failure\"}") < 1) {
                assertThat(System.nanoTime()).as("reload attempt within %s", DEADLINE).isLessThan(deadline);
                Thread.sleep(50);
            }

            JsonNode after = validate(webhook);
            assertThat(after.get("allowed").asBoolean()).as("the warn setting stays in force").isTrue();
            assertThat(webhook.metric("proxyguard_config_last_reload_successful")).isZero();
            assertThat(webhook.health("/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void deletedConfigFileKeepsTheConfigurationInForce() throws Exception {
        Path config = dir.resolve("proxyguard.yaml");
        Files.copy(Fixtures.exampleConfig(), config);
        try (RunningWebhook webhook = RunningWebhook.start(dir.resolve("certs"), Optional.of(config))) {
            Files.delete(config);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (webhook.metric("proxyguard_config_reloads_total{result=\"failure\"}") < 1) {
                assertThat(System.nanoTime()).as("reload attempt within %s", DEADLINE).isLessThan(deadline);
                Thread.sleep(50);
            }

            assertThat(validate(webhook).get("allowed").asBoolean()).isFalse();
        }
    }

    private static JsonNode validate(RunningWebhook webhook) {
        return webhook.http2().review("/validate", Fixtures.review("v1-create-http-proxy")).get("response");
    }

    private static JsonNode await(RunningWebhook webhook, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonNode response = validate(webhook);
        while (!condition.test(response)) {
            assertThat(System.nanoTime()).as("config change seen within %s", DEADLINE).isLessThan(deadline);
            Thread.sleep(50);
            response = validate(webhook);
        }
        return response;
    }
}
