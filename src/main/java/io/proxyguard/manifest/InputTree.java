package io.proxyguard.manifest;

import io.proxyguard.report.InputError;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one {@code -f} path holds, in name order: manifest files ({@code .yaml}, {@code .yml}, {@code .json}),
 * and directories that are rendered as a whole, Helm charts (a {@code Chart.yaml}) and kustomizations (a
 * {@code kustomization.yaml}), whose files are never read one by one. Excluded paths are left out; a path named
 * on the command line is always taken.
 */
final class InputTree {

    static final String CHART_FILE = "Chart.yaml";
    static final List<String> KUSTOMIZATION_FILES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    enum Kind { FILE, HELM_CHART, KUSTOMIZATION }

    /** A file to read, or the {@code Chart.yaml} or {@code kustomization.yaml} of a directory to render. */
    record Entry(Kind kind, Path path) {
    }

    /** The entries under a root, and the directories that could not be listed. */
    record Listing(List<Entry> entries, List<InputError> problems) {
    }

    private InputTree() {
    }

    static Listing list(Path root, Excludes excludes) {
        if (!Files.isDirectory(root)) {
            return new Listing(List.of(new Entry(Kind.FILE, root)), List.of());
        }
        Optional<Entry> rootUnit = unit(root);
        if (rootUnit.isPresent()) {
            return new Listing(List.of(rootUnit.get()), List.of());
        }
        List<Entry> entries = new ArrayList<>();
        List<InputError> problems = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (excludes.excludes(dir, root.relativize(dir))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Optional<Entry> unit = unit(dir);
                    unit.ifPresent(entries::add);
                    return unit.isPresent() ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (isManifest(file) && Files.isRegularFile(file) && !excludes.excludes(file, root.relativize(file))) {
                        entries.add(new Entry(Kind.FILE, file));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    problems.add(new InputError(file.toString(), 0, "cannot read: " + e.getMessage()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problems.add(new InputError(root.toString(), 0, "cannot list directory: " + e.getMessage()));
        }
        entries.sort(Comparator.comparing(Entry::path));
        return new Listing(entries, problems);
    }

    /**
     * The chart that holds {@code file}, when one does (a {@code Chart.yaml} in a directory above it), relative to
     * the working directory when it is below it.
     */
    static Optional<Path> chartAbove(Path file) {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = file.toAbsolutePath().normalize().getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(CHART_FILE))) {
                return Optional.of(dir.startsWith(here) && !dir.equals(here) ? here.relativize(dir) : dir);
            }
        }
        return Optional.empty();
    }

    /** The chart or kustomization that {@code dir} is, by the file that makes it one. */
    private static Optional<Entry> unit(Path dir) {
        Path chart = dir.resolve(CHART_FILE);
        if (Files.isRegularFile(chart)) {
            return Optional.of(new Entry(Kind.HELM_CHART, chart));
        }
        return KUSTOMIZATION_FILES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                .map(file -> new Entry(Kind.KUSTOMIZATION, file));
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
