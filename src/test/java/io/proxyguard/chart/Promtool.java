package io.proxyguard.chart;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prometheus's {@code promtool}, from Debian's {@code prometheus} package that {@code .ci/install-deps} installs. Where
 * it is not installed the tests that need it are skipped with a message saying how to install it (CI installs it).
 */
public final class Promtool {

    private static final long TIMEOUT_SECONDS = 60;

    private final Path binary;

    private Promtool(Path binary) {
        this.binary = binary;
    }

    /** The first executable of this name on the PATH. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    static Promtool installedOrSkip() {
        Optional<Path> binary = onPath("promtool");
        Assumptions.assumeTrue(binary.isPresent(),
                "promtool is not installed: run .ci/install-deps (Debian package prometheus) to run the alert tests");
        return new Promtool(binary.get());
    }

    Run run(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + "s");
            }
            return new Run(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** What one promtool invocation printed (stdout and stderr) and returned. */
    record Run(int exitCode, String output) {
    }
}
