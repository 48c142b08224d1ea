package io.proxyguard.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Hostile variations of real documents, as jqwik arbitraries: a value of the wrong type (or a huge one,
 * a deeply nested one, a number out of range) put at any field of a real document, fields removed,
 * then the serialized bytes truncated, spliced with invalid UTF-8 or raw out-of-range number tokens.
 * Also whole documents that are nothing but nesting. Every input stays under the webhook's 7 MiB cap
 * unless the point is the cap itself, so the suite measures the parser and the engine, not the network.
 */
public final class HostileJson {

    /** Writes what the webhook's reader refuses (nesting past 1000) so that the refusal can be tested. */
    static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(1_000_000).build())
            .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HostileJson() {
    }

    /** A value that does not belong where it is put: wrong type, huge, deep, empty, out of range. */
    public static Arbitrary<JsonNode> hostileValue() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(40).map(NODES::textNode)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("HTTP", "TCP", "TLS", "HTTPS", "http", "10.10.0.5/32", "0.0.0.0/0",
                        "::/0", "10.10.0.5", "3128", "*", "*.com", "http://user:pw@10.10.0.5:3128", "MESH_INTERNAL", "DNS",
                        "999.1.1.1/33", "", " ", "\u0000", "${HTTPS_PROXY}", "\ud83d\ude00").map(NODES::textNode)),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(0L, -1L, 1L, 3128L, 65535L, 65536L, Integer.MAX_VALUE + 1L,
                        Long.MAX_VALUE, Long.MIN_VALUE).map(NODES::numberNode)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(new BigInteger("123456789012345678901234567890123456789"),
                        BigInteger.TWO.pow(512).negate()).map(NODES::numberNode)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-1e-400"), new BigDecimal("3128.5"),
                        new BigDecimal("0.0000001")).map(NODES::numberNode)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(true, false).map(NODES::booleanNode)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(NODES.nullNode())),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("array", "object").map(k -> k.equals("array") ? NODES.arrayNode() : NODES.objectNode())),
                net.jqwik.api.Tuple.of(1, hugeString()),
                net.jqwik.api.Tuple.of(1, hugeArray()),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 1500).map(HostileJson::nestedArrays)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 1500).map(HostileJson::nestedObjects)));
    }

    private static Arbitrary<JsonNode> hugeString() {
        return Combinators.combine(Arbitraries.chars().range('!', '~'), Arbitraries.integers().between(1_000, 100_000))
                .as((c, n) -> NODES.textNode(String.valueOf(c).repeat(n)));
    }

    private static Arbitrary<JsonNode> hugeArray() {
        return Combinators.combine(hostileLeaf(), Arbitraries.integers().between(100, 5_000)).as((leaf, n) -> {
            ArrayNode array = NODES.arrayNode(n);
            for (int i = 0; i < n; i++) {
                array.add(leaf);
            }
            return array;
        });
    }

    private static Arbitrary<JsonNode> hostileLeaf() {
        return Arbitraries.of(NODES.textNode("10.10.0.5/32"), NODES.textNode("a.example.com"), NODES.numberNode(3128),
                NODES.objectNode().put("number", 3128).put("protocol", "HTTP").put("name", "http"),
                NODES.objectNode().put("name", "HTTPS_PROXY").put("value", "10.10.0.5:3128"), NODES.nullNode());
    }

    static JsonNode nestedArrays(int depth) {
        JsonNode node = NODES.textNode("x");
        for (int i = 0; i < depth; i++) {
            node = NODES.arrayNode().add(node);
        }
        return node;
    }

    static JsonNode nestedObjects(int depth) {
        JsonNode node = NODES.textNode("x");
        for (int i = 0; i < depth; i++) {
            ObjectNode parent = NODES.objectNode();
            parent.set("spec", node);
            node = parent;
        }
        return node;
    }

    /** One change to a tree: at the field chosen by {@code position}, put {@code value}, or remove the field. */
    public record FieldChange(int position, JsonNode value, boolean remove) {

        void applyTo(JsonNode root) {
            List<Slot> slots = new ArrayList<>();
            collect(root, slots);
            if (slots.isEmpty()) {
                return;
            }
            Slot slot = slots.get(Math.floorMod(position, slots.size()));
            slot.set(remove ? null : value.deepCopy());
        }
    }

    /** Up to {@code maxChanges} field changes. */
    public static Arbitrary<List<FieldChange>> fieldChanges(int maxChanges) {
        Arbitrary<FieldChange> change = Combinators.combine(Arbitraries.integers().greaterOrEqual(0), hostileValue(),
                Arbitraries.integers().between(0, 9)).as((position, value, dice) -> new FieldChange(position, value, dice == 0));
        return change.list().ofMinSize(1).ofMaxSize(maxChanges);
    }

    /** What is done to the serialized bytes after the field changes. */
    public enum ByteDamage { NONE, TRUNCATE, INVALID_UTF8, RAW_NUMBER, DUPLICATE_KEY }

    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
    private static final String[] RAW_NUMBERS = {"1e999999", "-1e999999", "123456789012345678901234567890123456789012345678901234567890",
            "NaN", "Infinity", "-0", "0x10", "01", "1.", ".5", "9".repeat(2000)};

    /** A base document with field changes and byte damage applied: the bytes a hostile client sends. */
    public static Arbitrary<byte[]> damaged(List<? extends JsonNode> bases) {
        return Combinators.combine(Arbitraries.of(bases), fieldChanges(4), Arbitraries.of(ByteDamage.class),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers().between(0, 99))
                .as((base, changes, damage, where, pick) -> {
                    JsonNode copy = base.deepCopy();
                    changes.forEach(c -> c.applyTo(copy));
                    return damage(bytes(copy), damage, where, pick);
                });
    }

    /** A base document with field changes only: well-formed JSON of the wrong shape. */
    public static Arbitrary<byte[]> changed(List<? extends JsonNode> bases) {
        return Combinators.combine(Arbitraries.of(bases), fieldChanges(6)).as((base, changes) -> {
            JsonNode copy = base.deepCopy();
            changes.forEach(c -> c.applyTo(copy));
            return bytes(copy);
        });
    }

    /** Documents that are nothing but nesting, open or closed: what stack-based parsers choke on. */
    public static Arbitrary<byte[]> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(500, 200_000), Arbitraries.of("[", "{\"a\":", "{\"request\":"),
                Arbitraries.of(true, false)).as((depth, open, closed) -> {
                    StringBuilder text = new StringBuilder(depth * open.length() + depth);
                    text.append(open.repeat(depth)).append("1");
                    if (closed) {
                        text.append((open.equals("[") ? "]" : "}").repeat(depth));
                    }
                    return text.toString().getBytes(StandardCharsets.UTF_8);
                });
    }

    static byte[] damage(byte[] bytes, ByteDamage damage, int where, int pick) {
        int at = bytes.length == 0 ? 0 : Math.floorMod(where, bytes.length);
        return switch (damage) {
            case NONE -> bytes;
            case TRUNCATE -> java.util.Arrays.copyOf(bytes, at);
            case INVALID_UTF8 -> splice(bytes, at, INVALID_UTF8[pick % INVALID_UTF8.length]);
            case RAW_NUMBER -> splice(bytes, at, RAW_NUMBERS[pick % RAW_NUMBERS.length].getBytes(StandardCharsets.US_ASCII));
            case DUPLICATE_KEY -> splice(bytes, indexAfterFirstBrace(bytes), "\"kind\":\"AdmissionReview\",\"kind\":1,".getBytes(StandardCharsets.US_ASCII));
        };
    }

    private static int indexAfterFirstBrace(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '{') {
                return i + 1;
            }
        }
        return 0;
    }

    private static byte[] splice(byte[] bytes, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + inserted.length);
        out.write(bytes, 0, at);
        out.writeBytes(inserted);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A settable place in a tree: an object field or an array element. */
    private record Slot(JsonNode parent, String field, int index) {
        void set(JsonNode value) {
            if (parent instanceof ObjectNode object) {
                if (value == null) {
                    object.remove(field);
                } else {
                    object.set(field, value);
                }
            } else if (parent instanceof ArrayNode array && index < array.size()) {
                if (value == null) {
                    array.remove(index);
                } else {
                    array.set(index, value);
                }
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                slots.add(new Slot(object, field.getKey(), -1));
                collect(field.getValue(), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    /** Reads a resource or file as a tree; for test fixtures. */
    public static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
