package io.proxyguard.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads YAML (and so JSON, a subset of it) into Jackson trees with limits that make hostile input cheap to
 * refuse: few aliases (no "billion laughs"), bounded nesting and size. Errors name the source and line.
 */
public final class SafeYaml {

    /** Aliases allowed per document: enough for hand-written anchors, far too few for an alias bomb. */
    public static final int MAX_ALIASES = 50;
    public static final int MAX_DEPTH = 100;
    public static final int MAX_CODE_POINTS = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(factory());

    private SafeYaml() {
    }

    private static YAMLFactory factory() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return factory;
    }

    /** A document and the line (1-based) where it starts. */
    public record Document(JsonNode node, int line) {
    }

    /** Every document of a (multi-document) YAML or JSON text; empty documents are skipped. */
    public static List<JsonNode> readAll(String text, String source) throws ManifestException {
        return readDocuments(text, source).stream().map(Document::node).toList();
    }

    /** Every document of a (multi-document) YAML or JSON text with its first line; empty documents are skipped. */
    public static List<Document> readDocuments(String text, String source) throws ManifestException {
        List<Document> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = MAPPER.readerFor(JsonNode.class).readValues(text)) {
            while (iterator.hasNextValue()) {
                int line = iterator.getParser().currentTokenLocation().getLineNr();
                JsonNode document = iterator.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(new Document(document, Math.max(1, line)));
                }
            }
        } catch (JsonProcessingException e) {
            throw new ManifestException(source + describe(e), e);
        } catch (IOException | RuntimeException e) {
            throw new ManifestException(source + ": cannot read YAML: " + firstLine(e.getMessage()), e);
        }
        return documents;
    }

    /** One document; an empty text gives an empty object. */
    public static JsonNode readOne(String text, String source) throws ManifestException {
        List<JsonNode> documents = readAll(text, source);
        if (documents.size() > 1) {
            throw new ManifestException(source + ": expected one YAML document, found " + documents.size());
        }
        return documents.isEmpty() ? MAPPER.createObjectNode() : documents.get(0);
    }

    /** The shared mapper behind these limits, for writing YAML back out. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location != null && location.getLineNr() > 0 ? ":" + location.getLineNr() : "";
        return where + ": invalid YAML: " + firstLine(e.getOriginalMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
