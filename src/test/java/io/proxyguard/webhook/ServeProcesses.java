package io.proxyguard.webhook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code proxyguard serve} as a real process on this test run's class path, on loopback with ephemeral ports, and
 * the ports it reports once listening. Without a {@code --shutdown-delay} of the test's own, the delay is off, so
 * that a test about something else does not wait for it at every SIGTERM.
 */
final class ServeProcesses {

    static final Pattern LISTENING = Pattern.compile("listening on https://[^:]+:(\\d+)/mutate .* on http://[^:]+:(\\d+)");
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
        CompletableFuture.delayedExecutor(deadline.toSeconds(), TimeUnit.SECONDS).execute(process::destroyForcibly);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            log.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
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
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
        }
        throw new AssertionError("serve exited before listening:\n" + log);
    }
}
