package io.proxyguard.manifest;

import java.nio.file.Path;

/** Turns a directory that is not plain YAML, a Helm chart or a kustomization, into its documents. */
@FunctionalInterface
public interface Renderer {

    /**
     * The documents rendered from the directory of {@code file} (its {@code Chart.yaml} or {@code kustomization.yaml}),
     * each naming the file it came from; or why rendering failed, or why it was skipped.
     */
    InputResult render(Path file);
}
