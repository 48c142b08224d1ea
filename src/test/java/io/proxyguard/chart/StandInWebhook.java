package io.proxyguard.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for ProxyGuard's two ports on loopback, so that the {@code helm test} script can be run
 * for real with sh and curl: HTTPS {@code POST /validate} answered by a given function of the review,
 * and plain-HTTP {@code GET /readyz} with a given status.
 */
final class StandInWebhook implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer https;
    private final HttpServer metrics;
    private final List<JsonNode> reviews = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    StandInWebhook(LocalPki pki, Function<JsonNode, ObjectNode> answer, int readyStatus) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        https = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
        https.createContext("/validate", exchange -> {
            JsonNode review = JSON.readTree(exchange.getRequestBody());
            reviews.add(review);
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            reply(exchange, 200, JSON.writeValueAsString(answer.apply(review)));
        });
        metrics = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        metrics.createContext("/readyz", exchange -> reply(exchange, readyStatus, readyStatus == 200 ? "ok" : "not ready"));
        https.start();
        metrics.start();
    }

    /** The answer a working webhook gives a plain Pod: its uid echoed, allowed. */
    static ObjectNode allow(JsonNode review) {
        return response(review.path("request").path("uid").asText(), true);
    }

    static ObjectNode response(String uid, boolean allowed) {
        ObjectNode root = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        root.putObject("response").put("uid", uid).put("allowed", allowed);
        return root;
    }

    String webhookUrl() {
        return "https://localhost:" + https.getAddress().getPort() + "/validate";
    }

    String readyzUrl() {
        return "http://" + metrics.getAddress().getHostString() + ":" + metrics.getAddress().getPort() + "/readyz";
    }

    List<JsonNode> reviews() {
        return List.copyOf(reviews);
    }

    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 && body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        https.stop(0);
        metrics.stop(0);
    }
}
