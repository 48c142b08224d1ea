package io.proxyguard.webhook;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletResponse;

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

    @Override
    public void handle(Context ctx) throws IOException {
        long started = System.nanoTime();
        metrics.requestStarted(webhook);
        try {
            Reply reply;
            try {
                reply = review(readBody(ctx), started);
            } catch (BadRequestException e) {
                reply = rejected(e, started);
            }
            send(ctx, reply.status(), reply.body());
        } finally {
            metrics.requestFinished(webhook);
        }
    }

    /**
     * One review from request body to answer, without HTTP: parse, judge, render, then count and log it.
     * {@code startedNanos} is {@link System#nanoTime()} when the request arrived.
     */
    public Reply review(byte[] body, long startedNanos) {
        AdmissionRequest request = null;
        try {
            request = json.parse(body);
            AdmissionResult result = handler.handle(request);
            byte[] answer = json.render(request, result.response());
            Duration elapsed = since(startedNanos);
            metrics.review(webhook, request, result.outcome(), result.findings(), elapsed);
            log.answered(webhook, request, result, elapsed);
            return new Reply(200, answer);
        } catch (BadRequestException e) {
            return rejected(e, startedNanos);
        } catch (RuntimeException e) {
            Duration elapsed = since(startedNanos);
            metrics.review(webhook, request, Outcome.ERROR, List.of(), elapsed);
            log.failed(webhook, request, elapsed, e);
            return new Reply(500, json.status(500, HttpReasons.of(500), "internal error in the ProxyGuard webhook ("
                    + e.getClass().getSimpleName() + "); the webhook's failurePolicy decides whether the request is admitted"));
        }
    }

    private Reply rejected(BadRequestException e, long startedNanos) {
        Duration elapsed = since(startedNanos);
        metrics.review(webhook, null, Outcome.BAD_REQUEST, List.of(), elapsed);
        log.rejected(webhook, e.status(), e.getMessage(), elapsed);
        return new Reply(e.status(), json.status(e.status(), HttpReasons.of(e.status()), e.getMessage()));
    }

    /**
     * Writes a JSON answer with its length straight to the response: Jetty sends headers and body in one
     * go, and no stream copy (Javalin's {@code result} copies through a fresh 32 KiB buffer) is made.
     */
    public static void send(Context ctx, int status, byte[] body) throws IOException {
        HttpServletResponse response = ctx.res();
        response.setStatus(status);
        response.setContentType(JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** An HTTP status and the JSON body that goes with it. */
    public record Reply(int status, byte[] body) {
    }

    private byte[] readBody(Context ctx) throws BadRequestException {
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

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
