package io.proxyguard.probe;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.config.ProxyDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The periodic probe for {@code serve}, against a real Squid, read back through the Prometheus text format. */
@ExtendWith(ProbeLab.Extension.class)
class ProxyHealthMonitorTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final PrometheusRegistry registry = new PrometheusRegistry();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private String awaitScrapeContaining(String... lines) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        String text = scrape(registry);
        while (Instant.now().isBefore(deadline)) {
            text = scrape(registry);
            String current = text;
            if (List.of(lines).stream().allMatch(current::contains)) {
                return text;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the registry never showed " + List.of(lines) + "; last scrape:\n" + text);
    }

    @Test
    void exportsUpAndLatencyPerProxyOnTheGivenRegistry(ProbeLab lab) throws Exception {
        HostPort target = ProbeLab.target(lab.goodService);
        List<ProxyDefinition> proxies = List.of(
                new ProxyDefinition("squid", "127.0.0.1", lab.allowingSquid.address().port(), List.of("proxy.test")),
                new ProxyDefinition("gone", "127.0.0.1", LoopbackServer.freePort(), List.of("gone.test")));

        try (ProxyHealthMonitor monitor = new ProxyHealthMonitor(proxies, lab.settings(target), Duration.ofMillis(200), registry, scheduler)) {
            monitor.start();

            String text = awaitScrapeContaining(
                    "proxyguard_proxy_up{proxy=\"squid\"} 1.0",
                    "proxyguard_proxy_up{proxy=\"gone\"} 0.0",
                    "proxyguard_proxy_probe_failures_total{diagnosis=\"proxy-refused\",proxy=\"gone\"}");

            Matcher latency = Pattern.compile("proxyguard_proxy_probe_duration_seconds\\{proxy=\"squid\"} (\\S+)").matcher(text);
            assertThat(latency.find()).as(text).isTrue();
            assertThat(Double.parseDouble(latency.group(1))).isPositive();
            assertThat(text).contains("# TYPE proxyguard_proxy_probe_duration_seconds gauge")
                    .doesNotContain("proxyguard_proxy_probe_failures_total{diagnosis=\"proxy-refused\",proxy=\"squid\"}");
            lab.allowingSquid.awaitAccessLogLine("TCP_TUNNEL/200", "CONNECT " + target + " ");
        }

        assertThat(scrape(registry)).doesNotContain("proxyguard_proxy");
        assertThat(scrape(PrometheusRegistry.defaultRegistry)).doesNotContain("proxyguard_proxy");
    }

    @Test
    void marksProxyDownWhenItsAclDeniesTheTarget(ProbeLab lab) throws Exception {
        List<ProxyDefinition> proxies = List.of(
                new ProxyDefinition("guide-squid", "127.0.0.1", lab.guideSquid.address().port(), List.of("proxy.test")));

        try (ProxyHealthMonitor monitor = new ProxyHealthMonitor(proxies, lab.settings(ProbeLab.target(lab.goodService)),
                Duration.ofMillis(200), registry, scheduler)) {
            monitor.start();

            awaitScrapeContaining("proxyguard_proxy_up{proxy=\"guide-squid\"} 0.0",
                    "proxyguard_proxy_probe_failures_total{diagnosis=\"proxy-denied\",proxy=\"guide-squid\"}");
        }
    }
}
