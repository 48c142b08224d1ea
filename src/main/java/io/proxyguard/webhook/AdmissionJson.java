package io.proxyguard.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The wire format: reads an AdmissionReview ({@code admission.k8s.io/v1} or {@code v1beta1}) into an
 * {@link AdmissionRequest}, writes the answer in the request's own version with its {@code uid}, and
 * writes a Kubernetes {@code Status} for requests that get no review back. Duplicate keys and trailing
 * content are rejected: a body that two parsers could read differently is not judged. Error messages never
 * quote the body: a parser message's quoted token is masked, and an envelope field ({@code apiVersion},
 * {@code kind}, {@code operation}) is echoed only when it looks like an identifier, so a secret in a broken
 * body cannot reach the answer or the log line that records it.
 */
public final class AdmissionJson {

    static final String KIND = "AdmissionReview";
    static final String PATCH_TYPE = "JSONPatch";
    private static final int MAX_ERROR_DETAIL = 200;
    /** How Jackson's tree reader starts the message for a key seen twice in one object. */
    private static final String DUPLICATE_FIELD = "Duplicate field";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._/-]{0,63}");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");

    /**
     * Duplicate keys are caught as the tree is built ({@code FAIL_ON_READING_DUP_TREE_KEY}: the map put
     * that would replace a value fails), which costs nothing per key, unlike the parser's own
     * {@code STRICT_DUPLICATE_DETECTION}, which keeps a hash set per object.
     */
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads the body of a POST to a webhook path; every problem is a 400 that names the field. */
    public AdmissionRequest parse(byte[] body) throws BadRequestException {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            String detail = String.valueOf(e.getOriginalMessage()).startsWith(DUPLICATE_FIELD)
                    ? "an object has the same key twice" : masked(e.getOriginalMessage());
            throw badRequest("malformed JSON" + where(e) + ": " + detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw badRequest("the body must be a JSON object (an AdmissionReview)");
        }
        String apiVersion = root.path("apiVersion").asText("");
        AdmissionVersion version = AdmissionVersion.of(apiVersion).orElseThrow(() -> badRequest(
                "apiVersion " + shown(apiVersion) + " is not admission.k8s.io/v1 or admission.k8s.io/v1beta1"));
        if (!KIND.equals(root.path("kind").asText())) {
            throw badRequest("kind must be AdmissionReview, got " + shown(root.path("kind").asText("")));
        }
        JsonNode request = root.path("request");
        if (!request.isObject()) {
            throw badRequest("the AdmissionReview has no request");
        }
        String uid = request.path("uid").asText("");
        if (!request.path("uid").isTextual() || uid.isEmpty()) {
            throw badRequest("request.uid is required");
        }
        String operationText = request.path("operation").asText("");
        Operation operation = Operation.of(operationText).orElseThrow(() -> badRequest(
                "request.operation " + shown(operationText) + " is not CREATE, UPDATE, DELETE or CONNECT"));
        Optional<ObjectNode> object = objectField(request, "object");
        Optional<ObjectNode> oldObject = objectField(request, "oldObject");
        if (operation.writesObject() && object.isEmpty()) {
            throw badRequest("request.object is required for " + operation);
        }
        return new AdmissionRequest(version, uid, operation,
                request.path("kind").path("kind").asText(""),
                request.path("subResource").asText(""),
                request.path("namespace").asText(""),
                request.path("name").asText(""),
                request.path("userInfo").path("username").asText(""),
                request.path("dryRun").asBoolean(false),
                object, oldObject);
    }

    /** The AdmissionReview answering {@code request}, in its version and with its {@code uid}. */
    public byte[] render(AdmissionRequest request, AdmissionResponse response) {
        ReviewAnswer.Status status = response.denialMessage()
                .map(message -> new ReviewAnswer.Status(AdmissionResponse.DENIED_CODE, "Forbidden", message)).orElse(null);
        String patch = response.patch().map(p -> Base64.getEncoder().encodeToString(bytes(p))).orElse(null);
        return bytes(new ReviewAnswer(request.version().apiVersion(), KIND, new ReviewAnswer.Response(request.uid(),
                response.allowed(), status, patch == null ? null : PATCH_TYPE, patch,
                response.warnings().isEmpty() ? null : response.warnings())));
    }

    /** The answer as written: absent parts (no denial, no patch, no warnings) are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReviewAnswer(String apiVersion, String kind, Response response) {

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record Response(String uid, boolean allowed, Status status, String patchType, String patch, List<String> warnings) {
        }

        record Status(int code, String reason, String message) {
        }
    }

    /** A Kubernetes {@code Status} (kind Status, apiVersion v1) for an HTTP error answer. */
    public byte[] status(int code, String reason, String message) {
        ObjectNode status = mapper.createObjectNode();
        status.put("apiVersion", "v1");
        status.put("kind", "Status");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        return bytes(status);
    }

    private Optional<ObjectNode> objectField(JsonNode request, String field) throws BadRequestException {
        JsonNode node = request.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw badRequest("request." + field + " must be a JSON object");
        }
        return Optional.of((ObjectNode) node);
    }

    private byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static BadRequestException badRequest(String message) {
        return new BadRequestException(400, message);
    }

    /** A value from the request in an error message: quoted when it looks like an identifier, else not shown. */
    private static String shown(String value) {
        return IDENTIFIER.matcher(value).matches() ? "'" + value + "'" : "(a value that is not an identifier, not shown)";
    }

    /** A parser message with every quoted token (which comes from the body) masked. */
    private static String masked(String message) {
        return shorten(QUOTED.matcher(message == null ? "" : message).replaceAll("'...'"));
    }

    private static String where(JacksonException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1 ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String shorten(String text) {
        String line = text == null ? "" : text.lines().findFirst().orElse("");
        return line.length() > MAX_ERROR_DETAIL ? line.substring(0, MAX_ERROR_DETAIL) + "..." : line;
    }
}
