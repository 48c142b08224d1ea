package io.proxyguard.engine;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A field of an object, built once and shown two ways: {@code spec.ports[0].protocol} for people and
 * {@code /spec/ports/0/protocol} (JSON Pointer) for patches.
 */
public record FieldPath(List<Object> segments) {

    public static FieldPath of(Object... segments) {
        return new FieldPath(List.of(segments));
    }

    public FieldPath child(Object segment) {
        List<Object> longer = new java.util.ArrayList<>(segments);
        longer.add(segment);
        return new FieldPath(List.copyOf(longer));
    }

    public String display() {
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                text.append(text.length() == 0 ? "" : ".").append(segment);
            }
        }
        return text.toString();
    }

    public String pointer() {
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            text.append('/').append(segment.toString().replace("~", "~0").replace("/", "~1"));
        }
        return text.toString();
    }

    /** A violation at this field. */
    public Violation violation(String message) {
        return Violation.of(display(), message);
    }

    /** A violation at this field whose fix sets the field to {@code value}. */
    public Violation fixable(String message, JsonNode value, String summary) {
        return Violation.fixable(display(), message, new Fix(pointer(), value, summary));
    }
}
