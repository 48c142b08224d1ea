package io.proxyguard.manifest;

import io.proxyguard.report.InputError;
import io.proxyguard.report.SkippedInput;

import java.util.List;
import java.util.Optional;

/**
 * What one input gave: a file, stdin, or a Helm chart or kustomization rendered as a whole. Each input is read on
 * its own, so one that fails or is skipped never hides the others.
 */
public sealed interface InputResult {

    /** Where the input is, as reports name it. */
    String source();

    static InputResult read(String source, List<ManifestDocument> documents) {
        return new Read(source, documents, Optional.empty());
    }

    static InputResult failed(ManifestException e) {
        return new Failed(new InputError(e.source(), e.line(), e.column(), e.problem()));
    }

    /**
     * The documents of the input. {@code renderedBy} names the tool when they are a rendering (of a chart, of a
     * kustomization), not the text someone wrote: {@code --fix} does not write those.
     */
    record Read(String source, List<ManifestDocument> documents, Optional<String> renderedBy) implements InputResult {
        public Read {
            documents = List.copyOf(documents);
        }
    }

    /** An input that could not be read, parsed or rendered. */
    record Failed(InputError error) implements InputResult {
        @Override
        public String source() {
            return error.file();
        }
    }

    /** An input left out on purpose, with the reason. */
    record Skipped(SkippedInput input) implements InputResult {
        @Override
        public String source() {
            return input.file();
        }
    }
}
