package io.proxyguard.render;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A kustomization, built with {@code kubectl kustomize DIR}. Its objects are reported at the kustomization file: an
 * object there may be a base's, changed by the overlay's patches, so no single source file wrote it.
 */
public final class KustomizeRenderer extends ToolRenderer {

    public KustomizeRenderer(Optional<ExternalTool> kubectl, Duration timeout) {
        super(kubectl, "kubectl", timeout);
    }

    @Override
    String what() {
        return "a kustomization";
    }

    @Override
    List<String> arguments(Path directory) {
        return List.of("kustomize", directory.toString());
    }

    @Override
    IntFunction<String> sources(Path kustomization, String output) {
        return line -> kustomization.toString();
    }
}
