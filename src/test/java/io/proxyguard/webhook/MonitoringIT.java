package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.proxyguard.chart.Promtool;
import io.proxyguard.cli.Main;
import io.proxyguard.tls.CertificateFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's alerts and dashboard against a real Prometheus (Debian's {@code prometheus}, which
 * {@code .ci/install-deps} installs) scraping a real {@code proxyguard serve} whose serving certificate expires in two
 * days: through Prometheus's HTTP API, the expiry alert fires, and every PromQL expression of the dashboard returns
 * data, so a typo in a metric or label name cannot survive. The reviews, a refusal, a probe of an unreachable proxy
 * and reloads of the configuration and the certificate are real too, so that every series the dashboard reads exists.
 */
class MonitoringIT {

    static final Path PLAIN_RULES = Path.of("charts/proxyguard/monitoring/proxyguard-rules.yaml");
    static final Path DASHBOARD = Path.of("charts/proxyguard/dashboards/proxyguard.json");
    static final Duration DEADLINE = Duration.ofSeconds(120);
    /** The target labels a ServiceMonitor would add, which the dashboard's variables select on. */
    static final String NAMESPACE = "proxyguard";
    static final String POD = "proxyguard-0";

    /**
     * Metrics that a {@code serve} without a cluster never exports: dashboard expressions that read them are only
     * checked to parse (Prometheus answers success with an empty result).
     */
    static final Set<String> NEED_A_CLUSTER = Set.of(
            // --certificates self-managed: the Lease lives in a cluster
            "proxyguard_leader",
            // the background audit (issue 17) reads the cluster
            "proxyguard_audit_findings", "proxyguard_audit_objects", "proxyguard_audit_last_run_timestamp_seconds",
            "proxyguard_audit_last_run_duration_seconds", "proxyguard_audit_errors_total", "proxyguard_audit_leader");

    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void prometheusFiresTheExpiryAlertAndEveryDashboardExpressionReturnsData() throws Exception {
        Path prometheus = Promtool.onPath("prometheus").orElse(null);
        Assumptions.assumeTrue(prometheus != null,
                "prometheus is not installed: run .ci/install-deps (Debian package prometheus) to run this test");
        Path certs = dir.resolve("certs");
        issueCertificate(certs);
        Path config = dir.resolve("config.yaml");
        Files.copy(Path.of("examples", "proxyguard.yaml"), config);

        // The example's proxy, 10.10.0.5:3128, does not answer here: proxyguard_proxy_up is 0 and failures are counted.
        Process serve = ServeProcesses.serve("--tls-cert", new CertificateFiles(certs).tlsCert().toString(),
                "--tls-key", new CertificateFiles(certs).tlsKey().toString(), "--config", config.toString(),
                "--reload-interval", "200ms", "--probe-interval", "1s", "--probe-timeout", "500ms", "--max-concurrent-reviews", "1");
        processes.add(serve);
        StringBuilder serveLog = new StringBuilder();
        int[] ports = ServeProcesses.awaitPorts(serve, serveLog, DEADLINE.multipliedBy(2));
        int prometheusPort = startPrometheus(prometheus, ports[1]);

        SSLContext tls = TestCertificates.trustingOnly(new CertificateFiles(certs));
        reviewsWithFindingsAndARefusal(tls, ports[0], ports[1]);
        reload(config, ports[1], certs);

        awaitAlerts(prometheusPort);
        Map<String, String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThan(20);
        for (Map.Entry<String, String> e : expressions.entrySet()) {
            String query = concrete(e.getValue());
            boolean needsCluster = NEED_A_CLUSTER.stream().anyMatch(m -> Pattern.compile("\\b" + m + "\\b").matcher(query).find());
            if (needsCluster) {
                JsonNode answer = query(prometheusPort, query);
                assertThat(answer.path("status").asText()).as("%s parses: %s", e.getKey(), answer).isEqualTo("success");
            } else {
                JsonNode answer = eventually(e.getKey() + " returns data: " + query, () -> query(prometheusPort, query),
                        a -> "success".equals(a.path("status").asText()) && !a.path("data").path("result").isEmpty());
                assertThat(answer.path("data").path("result")).as(e.getKey()).isNotEmpty();
            }
        }
    }

    /** {@code proxyguard certs --days 2}: the CA and the serving certificate expire in two days. */
    private static void issueCertificate(Path out) {
        assertThat(Main.run("certs", "--service", "proxyguard", "--namespace", NAMESPACE, "--host", "localhost",
                "--host", "127.0.0.1", "--days", "2", "--force", "--out", out.toString())).isZero();
    }

    /** Prometheus scraping {@code serve}'s metrics port every second with the plain rules file, {@code for} set to 0s. */
    private int startPrometheus(Path binary, int metricsPort) throws Exception {
        JsonNode rules = YAML.readTree(PLAIN_RULES.toFile());
        // The rules as shipped, except that no alert waits its `for` (minutes): their logic, not the wait, is tested.
        rules.path("groups").forEach(g -> g.path("rules").forEach(r -> ((ObjectNode) r).put("for", "0s")));
        Path rulesFile = dir.resolve("rules.yaml");
        YAML.writeValue(rulesFile.toFile(), rules);
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: proxyguard
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                        labels: {namespace: %s, pod: %s}
                """.formatted(rulesFile, metricsPort, NAMESPACE, POD));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        processes.add(process);
        int prometheusPort = port;
        eventually("Prometheus ready (log: " + dir.resolve("prometheus.log") + ")",
                () -> get(prometheusPort, "/-/ready").statusCode(), status -> status == 200);
        eventually("Prometheus scrapes serve", () -> query(prometheusPort, "up{job=\"proxyguard\"} == 1"),
                a -> !a.path("data").path("result").isEmpty());
        return prometheusPort;
    }

    /** Allowed, denied (with findings) and patched reviews on both webhooks, and one review refused with 429. */
    private static void reviewsWithFindingsAndARefusal(SSLContext tls, int webhookPort, int metricsPort) throws Exception {
        WebhookClient client = new WebhookClient(tls, HttpClient.Version.HTTP_2, webhookPort);
        for (int i = 0; i < 5; i++) {
            client.review("/validate", Fixtures.review("v1-create-clean"));
            assertThat(client.review("/validate", Fixtures.review("v1-create-http-proxy")).at("/response/allowed").asBoolean()).isFalse();
            client.review("/mutate", Fixtures.review("v1-create-http-proxy"));
        }
        byte[] review = Fixtures.review("v1-create-http-proxy").toString().getBytes(StandardCharsets.UTF_8);
        // --max-concurrent-reviews 1: a review whose body stops arriving holds the only slot ...
        try (RawTlsConnection held = new RawTlsConnection(tls, webhookPort, DEADLINE)) {
            held.send("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
                    + "Content-Length: " + review.length + "\r\n\r\n");
            held.send(Arrays.copyOf(review, 10));
            awaitMetric(metricsPort, "proxyguard_admission_in_flight_requests{webhook=\"validate\"} 1.0");
            // ... so one whose caller waits 1s cannot start within 500 ms and is refused.
            HttpResponse<String> refused = client.send(client.request("/validate?timeout=1s").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(review)).build());
            assertThat(refused.statusCode()).isEqualTo(429);
            held.send(Arrays.copyOfRange(review, 10, review.length));
            assertThat(held.readUntilClosed()).startsWith("HTTP/1.1 200");
        }
    }

    /** A changed configuration file and a renewed certificate, each reloaded without a restart. */
    private void reload(Path config, int metricsPort, Path certs) throws Exception {
        Files.writeString(config, Files.readString(config).replace("\"localhost\"]", "\"localhost\", \"127.0.0.1\"]"));
        awaitMetric(metricsPort, "proxyguard_config_reloads_total{result=\"success\"} 1.0");
        issueCertificate(certs);
        awaitMetric(metricsPort, "proxyguard_tls_certificate_reloads_total{result=\"success\"}");
    }

    /** Both expiry alerts fire for the 2-day certificate, and no configuration alert fires for a valid configuration. */
    private void awaitAlerts(int prometheusPort) throws Exception {
        JsonNode alerts = eventually("ProxyGuardCertificateExpiring firing at warning and critical",
                () -> json(get(prometheusPort, "/api/v1/alerts").body()),
                answer -> firing(answer, "ProxyGuardCertificateExpiring").size() == 2);
        List<JsonNode> expiring = firing(alerts, "ProxyGuardCertificateExpiring");
        assertThat(expiring).extracting(a -> a.path("labels").path("severity").asText()).containsExactlyInAnyOrder("warning", "critical");
        assertThat(expiring).allSatisfy(a -> {
            assertThat(a.path("labels").path("pod").asText()).isEqualTo(POD);
            assertThat(a.path("annotations").path("runbook_url").asText()).endsWith("docs/deploy.md#proxyguardcertificateexpiring");
        });
        assertThat(firing(alerts, "ProxyGuardConfigReloadFailing")).as("the configuration in force is valid").isEmpty();
        // Every rule evaluates without error against real series (no many-to-many matches, no bad arithmetic).
        JsonNode groups = json(get(prometheusPort, "/api/v1/rules").body()).path("data").path("groups");
        List<String> rules = new ArrayList<>();
        groups.forEach(g -> g.path("rules").forEach(r -> rules.add(r.path("name").asText() + " " + r.path("health").asText()
                + (r.has("lastError") ? " " + r.path("lastError").asText() : ""))));
        assertThat(rules).hasSizeGreaterThanOrEqualTo(10).allSatisfy(r -> assertThat(r).endsWith(" ok"));
    }

    private static List<JsonNode> firing(JsonNode alerts, String name) {
        List<JsonNode> found = new ArrayList<>();
        alerts.path("data").path("alerts").forEach(a -> {
            if (name.equals(a.path("labels").path("alertname").asText()) && "firing".equals(a.path("state").asText())) {
                found.add(a);
            }
        });
        return found;
    }

    /** Every expression of the dashboard by where it is: panel targets, and the variables' label_values queries. */
    static Map<String, String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(DASHBOARD.toFile());
        Map<String, String> expressions = new LinkedHashMap<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target ->
                expressions.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(), target.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(variable -> {
            Matcher labelValues = LABEL_VALUES.matcher(variable.path("query").path("query").asText());
            if (labelValues.matches()) {
                expressions.put("variable " + variable.path("name").asText(),
                        "count by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")");
            }
        });
        return expressions;
    }

    /** The query Grafana would send with namespace and pod selected and a 1-minute rate interval. */
    static String concrete(String expression) {
        return expression.replace("$__rate_interval", "1m").replace("$__range", "5m")
                .replace("$namespace", NAMESPACE).replace("$pod", POD);
    }

    private JsonNode query(int port, String promql) throws Exception {
        return json(get(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitMetric(int metricsPort, String sample) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        eventually("serve exports " + sample, () -> client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body(), body -> body.contains(sample));
    }

    private static JsonNode json(String body) {
        return WebhookClient.parse(body);
    }

    interface Attempt<T> {
        T get() throws Exception;
    }

    /** Tries until {@code done} holds for the result (an I/O error: not yet), or fails after {@link #DEADLINE} with the last result. */
    private static <T> T eventually(String what, Attempt<T> attempt, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = attempt.get();
            } catch (IOException notListeningYet) {
                last = null;
            }
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + DEADLINE.toSeconds() + "s: " + what + "; last: " + last);
    }
}
