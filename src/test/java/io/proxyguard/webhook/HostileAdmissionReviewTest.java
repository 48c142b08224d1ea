package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.hostile.HostileJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile AdmissionReviews against the webhook's whole pipeline short of the socket: the wire format
 * ({@link AdmissionJson}), both handlers with the example configuration, and the answer's rendering. Every
 * input must come out as a well-formed AdmissionReview answering its uid, or as a 4xx {@code Status}:
 * any other exception is what {@link AdmissionEndpoint} would turn into a 500, and fails the property.
 * {@link HostileHttpTest} sends a smaller corpus through the real TLS port.
 */
class HostileAdmissionReviewTest {

    private static final List<JsonNode> BASES = HostileReviews.asNodes();

    private final AdmissionJson json = new AdmissionJson();
    private final List<AdmissionHandler> handlers;

    HostileAdmissionReviewTest() throws Exception {
        PolicyEngine engine = new PolicyEngine(ConfigLoader.load(Fixtures.exampleConfig()));
        Evaluator evaluator = new Evaluator(() -> engine, () -> ClusterView.EMPTY);
        handlers = List.of(new MutatingHandler(evaluator), new ValidatingHandler(evaluator));
    }

    @Property(seed = "7001")
    void damagedReviewsGetAReviewOrA4xx(@ForAll("damagedReviews") byte[] body) {
        for (AdmissionHandler handler : handlers) {
            Statistics.collect(answer(body, handler));
        }
    }

    @Property(seed = "7002")
    void reviewsWithWrongFieldsAreJudgedOrRefused(@ForAll("changedReviews") byte[] body) {
        for (AdmissionHandler handler : handlers) {
            Statistics.collect(answer(body, handler));
        }
    }

    @Property(seed = "7003", tries = 500)
    void deeplyNestedBodiesGetA4xx(@ForAll("nesting") byte[] body) {
        for (AdmissionHandler handler : handlers) {
            String answer = answer(body, handler);
            assertThat(answer).as("a body nested this deep is refused, not judged").matches("4\\d\\d");
            Statistics.collect(answer);
        }
    }

    @Example
    void aContainerListThatIsAnObjectIsJudged() {
        ObjectNode deployment = HostileReviews.deploymentWithProxyVariables();
        deployment.with("spec").with("template").with("spec").putObject("containers").put("cart", "x");
        byte[] body = Fixtures.createReviewOf(deployment).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // the engine read containers.get(i) of an object: NullPointerException, a 500
        for (AdmissionHandler handler : handlers) {
            assertThat(answer(body, handler)).isIn("allowed", "warned", "unreadable");
        }
    }

    @Provide
    Arbitrary<byte[]> damagedReviews() {
        return HostileJson.damaged(BASES);
    }

    /** Field changes only, no byte damage: these reach the engine far more often. */
    @Provide
    Arbitrary<byte[]> changedReviews() {
        return HostileJson.changed(BASES);
    }

    @Provide
    Arbitrary<byte[]> nesting() {
        return HostileJson.deepNesting();
    }

    /** Runs the pipeline on one body and checks the answer; returns what it was, for the statistics. */
    String answer(byte[] body, AdmissionHandler handler) {
        AdmissionRequest request;
        try {
            request = json.parse(body);
        } catch (BadRequestException e) {
            assertThat(e.status()).isBetween(400, 499);
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(1000);
            JsonNode status = HostileJson.read(json.status(e.status(), HttpReasons.of(e.status()), e.getMessage()));
            assertThat(status.path("kind").asText()).isEqualTo("Status");
            return String.valueOf(e.status());
        }
        AdmissionResult result = handler.handle(request);
        JsonNode review = HostileJson.read(json.render(request, result.response()));
        assertWellFormed(review, request);
        return result.outcome().label();
    }

    static void assertWellFormed(JsonNode review, AdmissionRequest request) {
        assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(review.path("apiVersion").asText()).isEqualTo(request.version().apiVersion());
        JsonNode response = review.path("response");
        assertThat(response.path("uid").asText()).isEqualTo(request.uid());
        assertThat(response.path("allowed").isBoolean()).isTrue();
        if (response.has("patch")) {
            JsonNode patch = HostileJson.read(Base64.getDecoder().decode(response.path("patch").asText()));
            assertThat(patch.isArray()).isTrue();
        }
        int warningChars = 0;
        for (JsonNode warning : response.path("warnings")) {
            assertThat(warning.asText()).hasSizeLessThanOrEqualTo(255);
            warningChars += warning.asText().length();
        }
        assertThat(warningChars).isLessThan(4096);
    }
}
