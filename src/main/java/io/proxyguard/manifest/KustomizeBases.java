package io.proxyguard.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The directories that kustomizations build on: local {@code resources}, {@code bases} and {@code components} that
 * are directories. A base is rendered inside each overlay that uses it; rendered on its own as well, its objects
 * would sit next to the overlay's in one view, as if both were applied.
 */
final class KustomizeBases {

    private static final List<String> FIELDS = List.of("resources", "bases", "components");

    private KustomizeBases() {
    }

    /** The absolute, normalized directories the kustomization files refer to; a file that cannot be read refers to none. */
    static Set<Path> usedBy(List<Path> kustomizationFiles) {
        Set<Path> used = new HashSet<>();
        for (Path file : kustomizationFiles) {
            JsonNode kustomization;
            try {
                kustomization = SafeYaml.readOne(Utf8Text.read(file, file.toString()), file.toString());
            } catch (ManifestException e) {
                continue; // kubectl kustomize says what is wrong with it when it is rendered
            }
            Path dir = file.toAbsolutePath().normalize().getParent();
            for (String field : FIELDS) {
                for (JsonNode reference : kustomization.path(field)) {
                    String text = reference.asText("");
                    if (!text.isEmpty() && !text.contains("://")) {
                        Path target = dir.resolve(text).normalize();
                        if (Files.isDirectory(target)) {
                            used.add(target);
                        }
                    }
                }
            }
        }
        return used;
    }

    static Path directoryOf(Path kustomizationFile) {
        return kustomizationFile.toAbsolutePath().normalize().getParent();
    }
}
