package io.proxyguard.webhook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxyguard serve} as a real process on this test run's class path, on loopback with ephemeral ports, and
 * the ports it reports once listening. Without a {@code --shutdown-delay} of the test's own, the delay is off, so
 * that a test about something else does not wait for it at every SIGTERM.
 */
final class ServeProcesses {

    static final Pattern LISTENING = Pattern.compile("listening on https://[^:]+:(\\d+)/mutate .* on http://[^:]+:(\\d+)");
    /** What a process without the webhook ({@code --operation audit}) says once its metrics port listens. */
    static final Pattern METRICS_ONLY = Pattern.compile("no webhook port .* on http://[^:]+:(\\d+)");
    static final Duration DEADLINE = Duration.ofSeconds(60);

    private ServeProcesses() {
    }

    /** Starts {@code serve} with these options (stdout and stderr merged). */
    static Process serve(String... options) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", System.getProperty("java.class.path"),
                "io.proxyguard.cli.Main", "serve", "--bind-address", "127.0.0.1", "--port", "0", "--metrics-port", "0"));
        if (!List.of(options).contains("--shutdown-delay")) {
            command.addAll(List.of("--shutdown-delay", "0"));
        }
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The webhook port and the metrics port, once the process says it listens; its output is drained from then on. */
    static int[] awaitPorts(Process process) throws IOException {
        return awaitPorts(process, new StringBuilder());
    }

    /**
     * Reads the process's log into {@code log} until it says where it listens; keeps draining it in the background
     * (appending to {@code log}), and kills the process after {@link #DEADLINE} whatever happens.
     */
    static int[] awaitPorts(Process process, StringBuilder log) throws IOException {
        return awaitPorts(process, log, DEADLINE);
    }

    /** As {@link #awaitPorts(Process, StringBuilder)}, killing the process after {@code deadline} instead. */
    static int[] awaitPorts(Process process, StringBuilder log, Duration deadline) throws IOException {
        Matcher m = awaitLine(process, log, deadline, LISTENING);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** The metrics port of a process that opens no webhook port, once it listens (log drained as by awaitPorts). */
    static int awaitMetricsPort(Process process, StringBuilder log) throws IOException {
        return Integer.parseInt(awaitLine(process, log, DEADLINE, METRICS_ONLY).group(1));
    }

    private static Matcher awaitLine(Process process, StringBuilder log, Duration deadline, Pattern listening) throws IOException {
        CompletableFuture.delayedExecutor(deadline.toSeconds(), TimeUnit.SECONDS).execute(process::destroyForcibly);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            log.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        lines.lines().forEach(l -> {
                            synchronized (log) {
                                log.append(l).append('\n');
                            }
                        });
                    } catch (java.io.UncheckedIOException closed) {
                        // the test closed the process's output: nothing more to read
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return m;
            }
        }
        throw new AssertionError("serve exited before listening:\n" + log);
    }

    /** Waits (at most {@link #DEADLINE}) until the metrics port shows {@code sample} at {@code value}. */
    static void awaitMetric(int metricsPort, String sample, double value) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$");
        while (!line.matcher(get(metricsPort, "/metrics").body()).results().anyMatch(m -> Double.parseDouble(m.group(1)) == value)) {
            assertThat(System.nanoTime()).as("%s within %s", sample, DEADLINE).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits (at most {@link #DEADLINE}) until /readyz answers {@code status}. */
    static void awaitReadyz(int metricsPort, int status) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (get(metricsPort, "/readyz").statusCode() != status) {
            assertThat(System.nanoTime()).as("readyz %s within %s", status, DEADLINE).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A plain-HTTP GET on loopback. */
    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
