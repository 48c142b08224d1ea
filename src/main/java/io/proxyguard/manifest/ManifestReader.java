package io.proxyguard.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads manifests from files, directories (recursively: .yaml, .yml, .json, in name order) and standard
 * input ({@code -}). Every problem names its file and, for YAML errors, its line.
 */
public final class ManifestReader {

    public static final String STDIN = "-";

    private final InputStream stdin;

    public ManifestReader(InputStream stdin) {
        this.stdin = stdin;
    }

    public List<ManifestDocument> read(List<String> paths) throws ManifestException {
        List<ManifestDocument> documents = new ArrayList<>();
        for (String path : paths) {
            if (STDIN.equals(path)) {
                documents.addAll(parse(readStdin(), "stdin"));
            } else {
                for (Path file : expand(Path.of(path))) {
                    documents.addAll(parse(readFile(file), file.toString()));
                }
            }
        }
        return documents;
    }

    private static List<ManifestDocument> parse(String text, String source) throws ManifestException {
        List<ManifestDocument> documents = new ArrayList<>();
        for (SafeYaml.Document document : SafeYaml.readDocuments(text, source)) {
            documents.add(new ManifestDocument(source, document.line(), document.node()));
        }
        return documents;
    }

    private static List<Path> expand(Path path) throws ManifestException {
        if (!Files.exists(path)) {
            throw new ManifestException(path + ": no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).filter(ManifestReader::isManifest).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ManifestException(path + ": cannot list directory: " + e.getMessage(), e);
        }
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static String readFile(Path file) throws ManifestException {
        try {
            return decode(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private String readStdin() throws ManifestException {
        try {
            return decode(stdin.readAllBytes(), "stdin");
        } catch (IOException e) {
            throw new ManifestException("stdin: cannot read: " + e.getMessage(), e);
        }
    }

    /** Strict UTF-8: invalid bytes are an input error, not silently replaced characters. */
    private static String decode(byte[] bytes, String source) throws ManifestException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ManifestException(source + ": not valid UTF-8", e);
        }
    }
}
