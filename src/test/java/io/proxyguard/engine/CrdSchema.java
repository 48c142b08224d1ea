package io.proxyguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.SafeYaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline stand-in for an API server with Istio's CRDs installed (src/test/resources/crds, copied from Istio's
 * release manifests; the PolicyReport CRD as Kyverno ships it): checks a ServiceEntry's or Sidecar's {@code spec} against the structural schema of its
 * version, as the API server does on create with strict field validation (kubectl's default): types, unknown
 * fields, required fields, enums, bounds. The CEL rules ({@code x-kubernetes-validations}) are not evaluated.
 */
public final class CrdSchema {

    private static final Map<String, JsonNode> SCHEMAS = load("serviceentries.networking.istio.io.yaml", "sidecars.networking.istio.io.yaml",
            "policyreports.wgpolicyk8s.io.yaml");

    private CrdSchema() {
    }

    /** Fails naming every violation when {@code object} is a ServiceEntry or Sidecar that the API server would reject. */
    public static KubeObject accepted(KubeObject object) {
        JsonNode schema = SCHEMAS.get(object.json().path("apiVersion").asText() + "/" + object.kind());
        if (schema != null) {
            List<String> problems = new ArrayList<>();
            check(object.json().path("spec"), schema.path("properties").path("spec"), "spec", problems);
            if (!problems.isEmpty()) {
                throw new AssertionError(object.ref().display() + " would be rejected by the API server: " + problems);
            }
        }
        return object;
    }

    /**
     * Fails naming every violation when {@code object}, a kind whose fields sit at the top level rather than under
     * {@code spec} (a PolicyReport: {@code results}, {@code summary}), would be rejected: every field but
     * apiVersion, kind and metadata is checked against the schema of its version. Fails too when the CRD is unknown.
     */
    public static JsonNode acceptedAsWhole(JsonNode object) {
        String key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        JsonNode schema = SCHEMAS.get(key);
        if (schema == null) {
            throw new AssertionError("no CRD for " + key);
        }
        List<String> problems = new ArrayList<>();
        object.fields().forEachRemaining(field -> {
            if (!List.of("apiVersion", "kind", "metadata").contains(field.getKey())) {
                JsonNode fieldSchema = schema.path("properties").path(field.getKey());
                if (fieldSchema.isMissingNode()) {
                    problems.add(field.getKey() + ": unknown field");
                } else {
                    check(field.getValue(), fieldSchema, field.getKey(), problems);
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new AssertionError(key + " would be rejected by the API server: " + problems);
        }
        return object;
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (value.isMissingNode() || (value.isNull() && schema.path("nullable").asBoolean(false))) {
            return;
        }
        if (!hasType(value, schema)) {
            problems.add(path + ": " + value.getNodeType() + " is not " + schema.path("type").asText());
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(path + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (value.isNumber() && ((schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble())
                || (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()))) {
            problems.add(path + ": " + value + " is out of range");
        }
        if (value.isTextual() && schema.has("maxLength") && value.asText().length() > schema.get("maxLength").asInt()) {
            problems.add(path + ": longer than " + schema.get("maxLength"));
        }
        if (value.isArray()) {
            if (value.size() > schema.path("maxItems").asInt(Integer.MAX_VALUE) || value.size() < schema.path("minItems").asInt(0)) {
                problems.add(path + ": " + value.size() + " items");
            }
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.path("items"), path + "[" + i + "]", problems);
            }
        }
        if (value.isObject()) {
            checkObject(value, schema, path, problems);
        }
    }

    private static void checkObject(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (value.size() > schema.path("maxProperties").asInt(Integer.MAX_VALUE)) {
            problems.add(path + ": more than " + schema.get("maxProperties") + " fields");
        }
        schema.path("required").forEach(field -> {
            if (!value.has(field.asText())) {
                problems.add(path + "." + field.asText() + ": required");
            }
        });
        JsonNode properties = schema.path("properties");
        value.fields().forEachRemaining(field -> {
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), path + "." + field.getKey(), problems);
            } else if (schema.has("additionalProperties")) {
                check(field.getValue(), schema.get("additionalProperties"), path + "." + field.getKey(), problems);
            } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                problems.add(path + "." + field.getKey() + ": unknown field");
            }
        });
    }

    private static boolean hasType(JsonNode value, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return value.isIntegralNumber() || value.isTextual();
        }
        return switch (schema.path("type").asText("")) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** The openAPIV3Schema of every served version of each CRD, by {@code group/version/Kind}. */
    private static Map<String, JsonNode> load(String... files) {
        Map<String, JsonNode> schemas = new HashMap<>();
        for (String file : files) {
            try (InputStream in = CrdSchema.class.getResourceAsStream("/crds/" + file)) {
                JsonNode crd = SafeYaml.readOne(new String(in.readAllBytes(), StandardCharsets.UTF_8), file);
                String group = crd.path("spec").path("group").asText();
                String kind = crd.path("spec").path("names").path("kind").asText();
                for (JsonNode version : crd.path("spec").path("versions")) {
                    schemas.put(group + "/" + version.path("name").asText() + "/" + kind, version.path("schema").path("openAPIV3Schema"));
                }
            } catch (IOException | ManifestException e) {
                throw new IllegalStateException("cannot read CRD " + file, e);
            }
        }
        return Map.copyOf(schemas);
    }
}
