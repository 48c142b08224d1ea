package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTPS client for the webhook, over HTTP/2 or HTTP/1.1, trusting only the test CA. */
final class WebhookClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI base;

    WebhookClient(SSLContext tls, HttpClient.Version version, int port) {
        this.client = HttpClient.newBuilder().sslContext(tls).version(version).connectTimeout(Duration.ofSeconds(10)).build();
        this.base = URI.create("https://localhost:" + port);
    }

    /** POSTs {@code review} as application/json to {@code path} and returns the raw response. */
    HttpResponse<String> post(String path, JsonNode review) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(review.toString())).build());
    }

    /** POSTs a review and returns the parsed AdmissionReview answer, failing unless the status is 200. */
    ObjectNode review(String path, JsonNode review) {
        HttpResponse<String> response = post(path, review);
        if (response.statusCode() != 200) {
            throw new AssertionError("expected 200 from " + path + ", got " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
