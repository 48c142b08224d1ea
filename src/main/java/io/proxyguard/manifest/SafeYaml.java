package io.proxyguard.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads YAML (and so JSON, a subset of it) into Jackson trees the way kubectl does (anchors, aliases and
 * merge keys work), with limits that make hostile input cheap to refuse: at most {@link #MAX_ALIASES}
 * aliases, {@link #MAX_DEPTH} levels, {@link #MAX_CODE_POINTS} characters per stream and a bounded number of
 * nodes after alias expansion. Errors name the source and line.
 */
public final class SafeYaml {

    public static final int MAX_ALIASES = 50;
    public static final int MAX_DEPTH = 100;
    public static final int MAX_CODE_POINTS = 16 * 1024 * 1024;

    private static final ObjectMapper WRITER = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build());

    private SafeYaml() {
    }

    /** A document and the line (1-based) where it starts. */
    public record Document(JsonNode node, int line) {
    }

    /** Every document of a (multi-document) YAML or JSON text; empty documents are skipped. */
    public static List<JsonNode> readAll(String text, String source) throws ManifestException {
        return readDocuments(text, source).stream().map(Document::node).toList();
    }

    /** One document; an empty text gives an empty object. */
    public static JsonNode readOne(String text, String source) throws ManifestException {
        List<JsonNode> documents = readAll(text, source);
        if (documents.size() > 1) {
            throw new ManifestException(source, "expected one YAML document, found " + documents.size());
        }
        return documents.isEmpty() ? WRITER.createObjectNode() : documents.get(0);
    }

    /**
     * Every document of a (multi-document) YAML or JSON text with its first line; empty documents are skipped.
     * A text that starts with a brace or bracket is tried as JSON first (JSON allows tabs where YAML does not);
     * when that fails it is read as YAML (flow style, {@code {kind: List}}, starts the same way), and the error
     * is then given in YAML terms, unless the source is a {@code .json} file.
     */
    public static List<Document> readDocuments(String text, String source) throws ManifestException {
        if (text.length() > MAX_CODE_POINTS) {
            throw new ManifestException(source, "larger than " + MAX_CODE_POINTS + " characters");
        }
        String start = text.stripLeading();
        if (start.startsWith("{") || start.startsWith("[")) {
            try {
                return readJson(text, source);
            } catch (ManifestException notJson) {
                if (source.toLowerCase(Locale.ROOT).endsWith(".json")) {
                    throw notJson;
                }
            }
        }
        return readYaml(text, source);
    }

    private static List<Document> readYaml(String text, String source) throws ManifestException {
        List<Document> documents = new ArrayList<>();
        try {
            for (Node node : yaml().composeAll(new StringReader(text))) {
                if (node == null) {
                    continue;
                }
                JsonNode tree = YamlTrees.toJson(node);
                if (!tree.isNull()) {
                    documents.add(new Document(tree, node.getStartMark().getLine() + 1));
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ManifestException(source, mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                    "invalid YAML: " + YamlProblems.describe(e) + YamlProblems.templateHint(text), e);
        } catch (YamlTrees.UnacceptableDocumentException e) {
            throw new ManifestException(source, e.line, e.column, "invalid YAML: " + oneLine(e.getMessage()), e);
        } catch (YAMLException e) {
            throw new ManifestException(source, 0, 0, "invalid YAML: " + oneLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            // SnakeYAML lets a few scanner errors escape unwrapped, e.g. NumberFormatException for a cut "\x" escape
            throw new ManifestException(source, 0, 0, "invalid YAML: unreadable scalar (" + oneLine(e.getMessage()) + ")", e);
        }
        return documents;
    }

    /** JSON is YAML, but JSON allows tabs where YAML does not: JSON input goes to Jackson's JSON parser. */
    private static List<Document> readJson(String text, String source) throws ManifestException {
        List<Document> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(text)) {
            while (values.hasNextValue()) {
                int line = values.getParser().currentTokenLocation().getLineNr();
                documents.add(new Document(values.nextValue(), Math.max(1, line)));
            }
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            boolean known = location != null && location.getLineNr() > 0;
            throw new ManifestException(source, known ? location.getLineNr() : 0, known ? Math.max(0, location.getColumnNr()) : 0,
                    "invalid JSON: " + oneLine(e.getOriginalMessage()), e);
        } catch (java.io.IOException | RuntimeException e) {
            throw new ManifestException(source, 0, 0, "invalid JSON: " + oneLine(e.getMessage()), e);
        }
        return documents;
    }

    /**
     * One YAML document, starting with {@code ---}, quoting only the strings that need it (so "true" and
     * "3128" stay strings and numbers stay numbers).
     */
    public static String write(JsonNode document) {
        try {
            return WRITER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        return new Yaml(options);
    }

    static String oneLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message).trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
