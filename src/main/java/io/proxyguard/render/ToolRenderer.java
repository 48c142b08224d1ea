package io.proxyguard.render;

import io.proxyguard.manifest.InputResult;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.Renderer;
import io.proxyguard.manifest.SafeYaml;
import io.proxyguard.probe.ProbeDurations;
import io.proxyguard.report.InputError;
import io.proxyguard.report.SkippedInput;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A directory rendered by running a tool: without the tool, one note that it was skipped; a tool that fails or
 * runs past the time limit is an input error with its own message (stderr); its output is read as YAML and each
 * document names the file it came from.
 */
abstract class ToolRenderer implements Renderer {

    private static final int MAX_MESSAGE = 600;

    private final Optional<ExternalTool> tool;
    private final String toolName;
    private final Duration timeout;

    ToolRenderer(Optional<ExternalTool> tool, String toolName, Duration timeout) {
        this.tool = tool;
        this.toolName = toolName;
        this.timeout = timeout;
    }

    /** What the directory is, for messages: "a Helm chart". */
    abstract String what();

    /** The command line after the tool's name. */
    abstract List<String> arguments(Path directory);

    /** The file each document of {@code output} came from, by the line it starts at. */
    abstract IntFunction<String> sources(Path file, String output);

    /** The input error for a failed run: at {@code file}, or somewhere the tool's message names. */
    InputError failure(Path file, String message) {
        return new InputError(file.toString(), 0, message);
    }

    @Override
    public final InputResult render(Path file) {
        String source = file.toString();
        Path directory = directory(file);
        if (tool.isEmpty()) {
            return new InputResult.Skipped(new SkippedInput(source, what() + ", not rendered: " + toolName
                    + " is not on PATH (install it, or give its path with --" + toolName + "); nothing in it was checked"));
        }
        String command = toolName + " " + arguments(directory).get(0);
        ExternalTool.Run run;
        try {
            run = tool.get().run(arguments(directory), timeout);
        } catch (IOException e) {
            return new InputResult.Failed(new InputError(source, 0, "cannot run " + command + ": " + e.getMessage()));
        } catch (ManifestException e) {
            return new InputResult.Failed(new InputError(source, 0, command + " printed what cannot be read: " + e.problem()));
        }
        if (run.timedOut()) {
            return new InputResult.Failed(new InputError(source, 0, command + " did not finish within "
                    + ProbeDurations.format(timeout) + " (--render-timeout)" + stderr(run.stderr()).map(s -> ": " + s).orElse("")));
        }
        if (run.exitCode() != 0) {
            return new InputResult.Failed(failure(file, command + " failed (exit " + run.exitCode() + ")"
                    + stderr(run.stderr()).map(s -> ": " + s).orElse("")));
        }
        List<SafeYaml.Document> rendered;
        try {
            rendered = SafeYaml.readDocuments(run.stdout(), command + " output");
        } catch (ManifestException e) {
            return new InputResult.Failed(new InputError(source, 0, command + " printed invalid YAML: " + e.getMessage()));
        }
        IntFunction<String> sources = sources(file, run.stdout());
        List<ManifestDocument> documents = new ArrayList<>();
        for (SafeYaml.Document document : rendered) {
            documents.add(new ManifestDocument(sources.apply(document.line()), 0, document.node()));
        }
        return new InputResult.Read(source, documents, Optional.of(command));
    }

    static Path directory(Path file) {
        Path parent = file.getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** The tool's error output on one line, without hints about its own flags, cut to a readable length. */
    private static Optional<String> stderr(String stderr) {
        String text = stderr.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("Use --debug flag"))
                .map(line -> line.replaceFirst("^(?i)error: ", ""))
                .reduce((a, b) -> a + " " + b).orElse("");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text);
    }
}
