package io.proxyguard.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Lists PolicyReports in every namespace in pages ({@code limit} and {@code continue}), parsing each report as the
 * response streams in and handing it on before the next is read. fabric8's list reads a whole page and then turns
 * it into maps, several times its JSON, all alive at once: with reports of hundreds of results that is tens of
 * megabytes, which outlived the young generation and filled the old one during audits while reviews were served.
 * Here one report is alive at a time, whatever the page holds. Requests go through the client's own HTTP client
 * (its authentication, its TLS, its retries); a status other than 200 is a {@link KubernetesClientException} with
 * that code, as fabric8's list would throw.
 */
final class PolicyReportStream {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final KubernetesClient client;
    private final String labelSelector;
    private final long pageSize;

    PolicyReportStream(KubernetesClient client, String labelSelector, long pageSize) {
        this.client = client;
        this.labelSelector = labelSelector;
        this.pageSize = pageSize;
    }

    /** Every report the label selector selects, one at a time. */
    void forEach(Consumer<PolicyReport> reports) {
        String next = null;
        do {
            next = page(next, reports);
        } while (next != null && !next.isEmpty());
    }

    /** One page's reports to {@code reports}; returns the continue token ({@code null} or empty: the last page). */
    private String page(String continueToken, Consumer<PolicyReport> reports) {
        HttpClient http = client.getHttpClient();
        HttpResponse<InputStream> response = await(http.sendAsync(http.newHttpRequestBuilder().uri(uri(continueToken))
                .build(), InputStream.class));
        try (InputStream body = response.body()) {
            if (response.code() != 200) {
                String status = body == null ? "" : new String(body.readNBytes(4096), StandardCharsets.UTF_8);
                throw new KubernetesClientException("listing " + PolicyReport.API_VERSION + " policyreports: HTTP " + response.code()
                        + " " + status, response.code(), null);
            }
            return items(body, reports);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the PolicyReport list", e);
        }
    }

    /** Walks the list object: each element of {@code items} is read as a report and handed on; returns {@code metadata.continue}. */
    private static String items(InputStream body, Consumer<PolicyReport> reports) throws IOException {
        String continueToken = null;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the PolicyReport list is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("items".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        reports.accept(JSON.readValue(parser, PolicyReport.class));
                    }
                } else if ("metadata".equals(field) && value == JsonToken.START_OBJECT) {
                    JsonNode metadata = JSON.readTree(parser);
                    continueToken = metadata.path("continue").asText(null);
                } else {
                    parser.skipChildren();
                }
            }
        }
        return continueToken;
    }

    private String uri(String continueToken) {
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        StringBuilder uri = new StringBuilder(base).append("/apis/").append(PolicyReport.API_VERSION).append("/policyreports?");
        if (continueToken != null) {
            uri.append("continue=").append(encode(continueToken)).append('&');
        }
        return uri.append("labelSelector=").append(encode(labelSelector)).append("&limit=").append(pageSize).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private <T> T await(CompletableFuture<T> future) {
        Integer timeout = client.getConfiguration().getRequestTimeout();
        try {
            return timeout == null || timeout <= 0 ? future.get() : future.get(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new KubernetesClientException("interrupted while listing PolicyReports", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new KubernetesClientException("listing PolicyReports timed out after " + timeout + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof KubernetesClientException k ? k : new KubernetesClientException("listing PolicyReports: " + cause.getMessage(), cause);
        }
    }
}
