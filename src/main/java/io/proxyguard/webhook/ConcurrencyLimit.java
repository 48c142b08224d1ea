package io.proxyguard.webhook;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A cap on the requests the webhook port handles at once (Jetty's {@link QoSHandler}): a burst beyond the
 * cap waits, without a thread, up to {@code queueWait} for a slot; what still finds none (or finds the
 * waiting line as long as the cap) gets {@code 503 Service Unavailable} with {@code Retry-After: 1} and a
 * Kubernetes {@code Status}. 503 rather than 429: the limit protects the server, it is not a quota of one
 * client, and the API server treats either as a failed call subject to the failurePolicy.
 */
final class ConcurrencyLimit extends QoSHandler {

    static final String RETRY_AFTER_SECONDS = "1";

    private final AdmissionJson json;

    ConcurrencyLimit(int maxConcurrent, Duration queueWait, AdmissionJson json) {
        this.json = json;
        setMaxRequestCount(maxConcurrent);
        setMaxSuspendedRequestCount(maxConcurrent);
        setMaxSuspend(queueWait);
        setRejectStatusCode(503);
    }

    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
        overloaded(response, callback, status);
    }

    @Override
    protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
        overloaded(response, callback, status);
    }

    private void overloaded(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
        byte[] body = json.status(status, HttpReasons.of(status), "the webhook is handling " + getMaxRequestCount()
                + " requests and as many are waiting; retry in " + RETRY_AFTER_SECONDS + "s");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
