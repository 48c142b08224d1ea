package io.proxyguard.manifest;

import io.proxyguard.report.InputError;
import io.proxyguard.report.SkippedInput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads manifests from files, directories (recursively, in name order: {@code .yaml}, {@code .yml}, {@code .json}
 * files, and Helm charts and kustomizations through their {@link Renderer}s) and standard input ({@code -}).
 * Every input gives its own {@link InputResult}: a file that cannot be read is an error entry and the others are
 * still read. Only a path that does not exist stops the run, before anything is read: it is a usage error.
 * A kustomization that another one of the run builds on (a base) is rendered only inside the overlays that use it,
 * unless it is named on the command line.
 */
public final class ManifestReader {

    public static final String STDIN = "-";
    private static final String TEMPLATE_DIRECTORY = "templates";

    private final InputStream stdin;
    private final Renderers renderers;
    private final Excludes excludes;

    /** The tools that render charts and kustomizations. */
    public record Renderers(Renderer helm, Renderer kustomize) {

        /** Renderers that render nothing: every chart and kustomization is skipped. */
        public static Renderers none() {
            Renderer none = file -> new InputResult.Skipped(new SkippedInput(file.toString(), "not rendered: no renderer configured"));
            return new Renderers(none, none);
        }
    }

    public ManifestReader(InputStream stdin, Renderers renderers, Excludes excludes) {
        this.stdin = stdin;
        this.renderers = renderers;
        this.excludes = excludes;
    }

    /** A reader of plain files and stdin, without renderers or excludes. */
    public ManifestReader(InputStream stdin) {
        this(stdin, Renderers.none(), Excludes.none());
    }

    /**
     * Every document under {@code paths}, for callers that want all or nothing (tests, tools): the first input that
     * could not be read, or was skipped, is thrown.
     */
    public List<ManifestDocument> read(List<String> paths) throws ManifestException {
        List<ManifestDocument> documents = new ArrayList<>();
        for (InputResult input : readInputs(paths)) {
            if (input instanceof InputResult.Read read) {
                documents.addAll(read.documents());
            } else if (input instanceof InputResult.Failed failed) {
                InputError error = failed.error();
                throw new ManifestException(error.file(), error.line(), error.column(), error.message(), null);
            } else if (input instanceof InputResult.Skipped skipped) {
                throw new ManifestException(skipped.source(), "skipped: " + skipped.input().reason());
            }
        }
        return documents;
    }

    /** Every input under {@code paths}, in order; throws only when a path does not exist or its ignore file is bad. */
    public List<InputResult> readInputs(List<String> paths) throws ManifestException {
        for (String path : paths) {
            if (!STDIN.equals(path) && !Files.exists(Path.of(path))) {
                throw new ManifestException(path, "no such file or directory");
            }
        }
        List<InputTree.Listing> listings = new ArrayList<>();
        for (String path : paths) {
            Path root = Path.of(path);
            listings.add(STDIN.equals(path) ? null
                    : InputTree.list(root, Files.isDirectory(root) ? excludes.withIgnoreFile(root) : excludes));
        }
        Set<Path> bases = KustomizeBases.usedBy(listings.stream().filter(Objects::nonNull)
                .flatMap(listing -> listing.entries().stream())
                .filter(entry -> entry.kind() == InputTree.Kind.KUSTOMIZATION).map(InputTree.Entry::path).toList());
        List<InputResult> results = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            InputTree.Listing listing = listings.get(i);
            if (listing == null) {
                results.add(readStdin());
                continue;
            }
            listing.problems().forEach(problem -> results.add(new InputResult.Failed(problem)));
            Path root = Path.of(paths.get(i)).toAbsolutePath().normalize();
            for (InputTree.Entry entry : listing.entries()) {
                if (!isBaseFoundByWalking(entry, bases, root)) {
                    results.add(read(entry));
                }
            }
        }
        return results;
    }

    /** A kustomization that another one of this run builds on, found under a directory rather than named. */
    private static boolean isBaseFoundByWalking(InputTree.Entry entry, Set<Path> bases, Path root) {
        if (entry.kind() != InputTree.Kind.KUSTOMIZATION) {
            return false;
        }
        Path dir = KustomizeBases.directoryOf(entry.path());
        return bases.contains(dir) && !dir.equals(root);
    }

    private InputResult read(InputTree.Entry entry) {
        return switch (entry.kind()) {
            case FILE -> readFile(entry.path());
            case HELM_CHART -> renderers.helm().render(entry.path());
            case KUSTOMIZATION -> renderers.kustomize().render(entry.path());
        };
    }

    private static InputResult readFile(Path file) {
        String source = file.toString();
        try {
            String text = Utf8Text.read(file, source);
            if (isTemplate(file, text)) {
                return new InputResult.Skipped(new SkippedInput(source, templateReason(file)));
            }
            return InputResult.read(source, parse(text, source));
        } catch (ManifestException e) {
            return InputResult.failed(e);
        }
    }

    private InputResult readStdin() {
        String source = "stdin";
        try {
            return InputResult.read(source, parse(Utf8Text.decode(stdin.readAllBytes(), source), source));
        } catch (IOException e) {
            return InputResult.failed(new ManifestException(source, 0, 0, "cannot read: " + e.getMessage(), e));
        } catch (ManifestException e) {
            return InputResult.failed(e);
        }
    }

    /** Documents of a YAML or JSON text; the source names them in reports. */
    private static List<ManifestDocument> parse(String text, String source) throws ManifestException {
        List<ManifestDocument> documents = new ArrayList<>();
        for (SafeYaml.Document document : SafeYaml.readDocuments(text, source)) {
            documents.add(new ManifestDocument(source, document.line(), document.node()));
        }
        return documents;
    }

    /** A file in a {@code templates} directory that holds template actions: a Helm template, not a manifest. */
    private static boolean isTemplate(Path file, String text) {
        for (Path dir = file.getParent(); dir != null && dir.getFileName() != null; dir = dir.getParent()) {
            if (dir.getFileName().toString().equals(TEMPLATE_DIRECTORY)) {
                return text.contains("{{");
            }
        }
        return false;
    }

    private static String templateReason(Path file) {
        return "a Helm template ('{{' in a templates directory), not a manifest: "
                + InputTree.chartAbove(file)
                        .map(chart -> "validate its chart instead (-f " + chart + ") so that helm renders it")
                        .orElse("it has no Chart.yaml above it to render it with; exclude it or validate what it renders to");
    }
}
