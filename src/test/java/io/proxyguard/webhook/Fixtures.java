package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** AdmissionReview fixtures under {@code src/test/resources/admission}, and the project's example manifests. */
final class Fixtures {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private Fixtures() {
    }

    /** A fresh, mutable copy of {@code admission/NAME.json}. */
    static ObjectNode review(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/admission/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture admission/" + name + ".json");
            }
            return (ObjectNode) WebhookClient.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CREATE review template with {@code object} as request.object, named after the object. */
    static ObjectNode createReviewOf(ObjectNode object) {
        ObjectNode review = review("v1-create-template");
        ObjectNode request = (ObjectNode) review.get("request");
        request.set("object", object);
        request.put("name", object.path("metadata").path("name").asText());
        request.put("namespace", object.path("metadata").path("namespace").asText());
        return review;
    }

    /** An example manifest from {@code examples/} (one document), as the JSON the API server would send. */
    static ObjectNode example(String relativePath) {
        try {
            JsonNode node = YAML.unmarshal(Files.readString(Path.of("examples").resolve(relativePath)), JsonNode.class);
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path exampleConfig() {
        return Path.of("examples", "proxyguard.yaml");
    }
}
