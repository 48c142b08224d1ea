package io.proxyguard.render;

import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.Utf8Text;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An outside program, {@code helm} or {@code kubectl}: found on {@code PATH} or at a configured path, and run as a
 * process with a time limit. Its output goes to temporary files, so a chatty tool can never block on a full pipe.
 */
public final class ExternalTool {

    private final String name;
    private final Path binary;

    private ExternalTool(String name, Path binary) {
        this.name = name;
        this.binary = binary;
    }

    /** What one run printed and returned; {@code timedOut} when it was stopped at the limit. */
    public record Run(int exitCode, String stdout, String stderr, boolean timedOut) {
    }

    /** The tool at {@code configured} when given (it must be an executable file), else the first on {@code path}. */
    public static Optional<ExternalTool> find(String name, Optional<Path> configured, String path) {
        if (configured.isPresent()) {
            Path binary = configured.get();
            if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
                throw new IllegalArgumentException(name + " was given as " + binary + ", which is not an executable file");
            }
            return Optional.of(new ExternalTool(name, binary));
        }
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(name);
            if (!dir.isEmpty() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new ExternalTool(name, candidate));
            }
        }
        return Optional.empty();
    }

    public String name() {
        return name;
    }

    /** Runs the tool with {@code args} in the working directory; stops it (and what it started) past {@code timeout}. */
    public Run run(List<String> args, Duration timeout) throws IOException, ManifestException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        Path out = Files.createTempFile("proxyguard-" + name, ".out");
        Path err = Files.createTempFile("proxyguard-" + name, ".err");
        try {
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean finished = waitFor(process, timeout);
            if (!finished) {
                // The tool first, then what it started: killed the other way round, a shell running the tool
                // sees its child die and writes "Killed" into the stderr that the error message quotes.
                List<ProcessHandle> started = process.descendants().toList();
                process.destroyForcibly();
                started.forEach(ProcessHandle::destroyForcibly);
                waitFor(process, Duration.ofSeconds(5));
                return new Run(-1, "", Utf8Text.read(err, name + " stderr"), true);
            }
            return new Run(process.exitValue(), Utf8Text.read(out, name + " output"), Utf8Text.read(err, name + " stderr"), false);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) throws IOException {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while waiting for " + process.info().command().orElse("a tool"), e);
        }
    }

    private static File nullFile() {
        return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
    }
}
