package io.proxyguard.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.math.BigInteger;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a composed SnakeYAML node graph into a Jackson tree, expanding aliases (so anchors work as kubectl
 * reads them) while counting every node produced: a document that expands past {@link #MAX_NODES} is refused,
 * which defeats alias bombs that stay under the alias limit. An alias inside its own anchor ({@code a: &a [*a]})
 * and nesting deeper than {@link SafeYaml#MAX_DEPTH} once aliases are expanded are refused too: both would
 * otherwise recurse until the stack overflows.
 */
final class YamlTrees {

    static final int MAX_NODES = 1_000_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> TRUE = Set.of("true", "yes", "on", "y");
    private static final Set<String> FALSE = Set.of("false", "no", "off", "n");

    private int produced;
    private final Set<Node> path = Collections.newSetFromMap(new IdentityHashMap<>());

    static JsonNode toJson(Node root) {
        return new YamlTrees().convert(root);
    }

    private JsonNode convert(Node node) {
        if (++produced > MAX_NODES) {
            throw new UnacceptableDocumentException("the document expands to more than " + MAX_NODES + " nodes (alias bomb?)");
        }
        if (node instanceof ScalarNode scalar) {
            return scalar(scalar);
        }
        if (!path.add(node)) {
            throw new UnacceptableDocumentException("an alias refers to an anchor that contains it, at line "
                    + (node.getStartMark() == null ? "?" : String.valueOf(node.getStartMark().getLine() + 1)));
        }
        if (path.size() > SafeYaml.MAX_DEPTH) {
            throw new UnacceptableDocumentException("the document nests deeper than " + SafeYaml.MAX_DEPTH + " levels once aliases are expanded");
        }
        try {
            return collection(node);
        } finally {
            path.remove(node);
        }
    }

    private JsonNode collection(Node node) {
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            sequence.getValue().forEach(item -> array.add(convert(item)));
            return array;
        }
        MappingNode mapping = (MappingNode) node;
        ObjectNode object = NODES.objectNode();
        java.util.List<JsonNode> merges = new java.util.ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                merges.add(convert(tuple.getValueNode()));
                continue;
            }
            String key = convert(tuple.getKeyNode()).asText();
            if (object.has(key)) {
                throw new UnacceptableDocumentException("duplicate key '" + key + "'", tuple.getKeyNode().getStartMark());
            }
            object.set(key, convert(tuple.getValueNode()));
        }
        merges.forEach(source -> merge(object, source));
        return object;
    }

    /** YAML merge keys ({@code <<: *defaults}): keys written in the mapping itself win. */
    private static void merge(ObjectNode target, JsonNode source) {
        if (source.isArray()) {
            source.forEach(item -> merge(target, item));
        } else if (source.isObject()) {
            source.fields().forEachRemaining(e -> {
                if (!target.has(e.getKey())) {
                    target.set(e.getKey(), e.getValue());
                }
            });
        }
    }

    private static JsonNode scalar(ScalarNode scalar) {
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.NULL)) {
            return NODES.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (TRUE.contains(lower)) {
                return NODES.booleanNode(true);
            }
            if (FALSE.contains(lower)) {
                return NODES.booleanNode(false);
            }
        }
        if (tag.equals(Tag.INT)) {
            JsonNode number = integer(value.replace("_", ""));
            if (number != null) {
                return number;
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return NODES.numberNode(new java.math.BigDecimal(value.replace("_", "")));
            } catch (NumberFormatException e) {
                return NODES.textNode(value); // .inf and .nan have no JSON form
            }
        }
        return NODES.textNode(value);
    }

    private static JsonNode integer(String text) {
        try {
            String digits = text;
            boolean negative = digits.startsWith("-");
            if (negative || digits.startsWith("+")) {
                digits = digits.substring(1);
            }
            BigInteger parsed;
            if (digits.startsWith("0x")) {
                parsed = new BigInteger(digits.substring(2), 16);
            } else if (digits.startsWith("0o")) {
                parsed = new BigInteger(digits.substring(2), 8);
            } else if (digits.startsWith("0b")) {
                parsed = new BigInteger(digits.substring(2), 2);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                parsed = new BigInteger(digits.substring(1), 8);
            } else {
                parsed = new BigInteger(digits);
            }
            parsed = negative ? parsed.negate() : parsed;
            return parsed.bitLength() < 64 ? NODES.numberNode(parsed.longValue()) : NODES.numberNode(parsed);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A document that is too big once expanded, or malformed in a way the composer allows. */
    static final class UnacceptableDocumentException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** Where, when known: 1-based, 0 when not. */
        final int line;
        final int column;

        UnacceptableDocumentException(String message) {
            this(message, null);
        }

        UnacceptableDocumentException(String message, org.yaml.snakeyaml.error.Mark mark) {
            super(message);
            this.line = mark == null ? 0 : mark.getLine() + 1;
            this.column = mark == null ? 0 : mark.getColumn() + 1;
        }
    }
}
