package io.proxyguard.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A change that repairs a finding: set the value at a JSON Pointer (RFC 6901) of the object, creating it
 * when absent. {@code summary} says what changes, e.g. {@code port 3128 protocol HTTP -> TCP}.
 */
public record Fix(String pointer, JsonNode value, String summary) {
}
