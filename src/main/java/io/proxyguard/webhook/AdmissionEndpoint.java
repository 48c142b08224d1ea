package io.proxyguard.webhook;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP boundary of one webhook path, in the manner of controller-runtime's {@code http.go}: only POST
 * (405), only {@code application/json} (415), a body of at most {@link #MAX_BODY_BYTES} (413), a
 * well-formed AdmissionReview with a request (400). Those answers carry a Kubernetes {@code Status}; a
 * review gets HTTP 200 with the answer in the request's version. An unexpected failure answers 500, so
 * that the webhook configuration's {@code failurePolicy}, not an accident of this code, decides whether
 * the object gets in. Every request is counted, timed and logged once.
 */
public final class AdmissionEndpoint implements Handler {

    /** What peers allow for an AdmissionReview: an UPDATE carries two copies of an object of up to ~3 MiB. */
    public static final long MAX_BODY_BYTES = 7L * 1024 * 1024;
    static final String JSON = "application/json";

    private final String webhook;
    private final AdmissionHandler handler;
    private final AdmissionJson json;
    private final WebhookMetrics metrics;
    private final ReviewLog log;

    /** @param webhook the path's name, {@code mutate} or {@code validate}, used in metrics and logs */
    public AdmissionEndpoint(String webhook, AdmissionHandler handler, AdmissionJson json, WebhookMetrics metrics, ReviewLog log) {
        this.webhook = webhook;
        this.handler = handler;
        this.json = json;
        this.metrics = metrics;
        this.log = log;
    }

    public String webhook() {
        return webhook;
    }

    @Override
    public void handle(Context ctx) {
        long started = System.nanoTime();
        metrics.requestStarted(webhook);
        AdmissionRequest request = null;
        try {
            request = json.parse(readBody(ctx));
            AdmissionResult result = handler.handle(request);
            ctx.status(200).contentType(JSON).result(json.render(request, result.response()));
            Duration elapsed = since(started);
            metrics.review(webhook, request, result.outcome(), result.findings(), elapsed);
            log.answered(webhook, request, result, elapsed);
        } catch (BadRequestException e) {
            answerError(ctx, e.status(), e.getMessage());
            Duration elapsed = since(started);
            metrics.review(webhook, null, Outcome.BAD_REQUEST, List.of(), elapsed);
            log.rejected(webhook, e.status(), e.getMessage(), elapsed);
        } catch (IOException | RuntimeException e) {
            answerError(ctx, 500, "internal error in the ProxyGuard webhook (" + e.getClass().getSimpleName()
                    + "); the webhook's failurePolicy decides whether the request is admitted");
            Duration elapsed = since(started);
            metrics.review(webhook, request, Outcome.ERROR, List.of(), elapsed);
            log.failed(webhook, request, elapsed, e);
        } finally {
            metrics.requestFinished(webhook);
        }
    }

    private byte[] readBody(Context ctx) throws IOException, BadRequestException {
        if (!"POST".equals(ctx.method().name())) {
            ctx.header("Allow", "POST");
            throw new BadRequestException(405, "method " + ctx.method().name() + " is not allowed: send the AdmissionReview with POST");
        }
        String contentType = ctx.contentType();
        if (contentType == null || !JSON.equals(mediaType(contentType))) {
            throw new BadRequestException(415, "content type '" + (contentType == null ? "" : contentType)
                    + "' is not supported: send the AdmissionReview as application/json");
        }
        try {
            return RequestBody.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(), MAX_BODY_BYTES);
        } catch (IOException e) {
            // The client stopped sending (idle timeout) or went away: its fault, not an internal error.
            throw new BadRequestException(408, "the request body did not arrive: " + e.getClass().getSimpleName());
        }
    }

    private void answerError(Context ctx, int status, String message) {
        ctx.status(status).contentType(JSON).result(json.status(status, HttpReasons.of(status), message));
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
