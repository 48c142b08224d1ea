package io.proxyguard.webhook;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission by time, not by a small count. At most {@code maxConcurrent} requests are handled at once on the
 * webhook port; the rest wait in arrival order, without a thread, and each waits as long as it can still be
 * answered well inside its caller's timeout ({@link WaitBudget}: half of the {@code timeout} the API server
 * sends). Only a request still waiting when its budget runs out is refused, with {@code 429 Too Many Requests},
 * {@code Retry-After: 1} and a Kubernetes {@code Status} (the answer the API server's own priority and fairness
 * gives when it cannot serve a request in time); it is counted in {@code proxyguard_admission_requests_total}
 * as {@code outcome="refused"} and logged through {@link RefusalLog}. A burst thus costs latency, not
 * answers: a queue of hundreds drains in well under a second on a warm replica.
 *
 * <p>The wait is not predicted from past service times: a cold JVM is slow for its first seconds and would
 * predict waits it then does not have, refusing exactly the burst it could serve. {@link #MAX_WAITING} only
 * bounds memory (each waiting request holds its headers and up to its HTTP/2 stream window of body); the time
 * budget refuses long before it is reached at any rate this server can answer.
 */
final class AdmissionQueue extends Handler.Wrapper {

    static final int REFUSED_STATUS = 429;
    static final String RETRY_AFTER_SECONDS = "1";
    /** A memory bound, far beyond what the time budget lets wait: refused at once beyond it. */
    static final int MAX_WAITING = 4096;

    private final int maxConcurrent;
    private final AdmissionJson json;
    private final WebhookMetrics metrics;
    private final Set<String> webhooks;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int running;
    private Scheduler scheduler;
    private RefusalLog log;

    /** @param webhooks the webhook path names ({@code validate}, ...): the {@code webhook} label of a refusal */
    AdmissionQueue(int maxConcurrent, AdmissionJson json, WebhookMetrics metrics, Set<String> webhooks) {
        this.maxConcurrent = maxConcurrent;
        this.json = json;
        this.metrics = metrics;
        this.webhooks = Set.copyOf(webhooks);
    }

    @Override
    protected void doStart() throws Exception {
        scheduler = getServer().getScheduler();
        log = new RefusalLog(scheduler, RefusalLog.INTERVAL);
        super.doStart();
    }

    /** Requests waiting for a slot right now. */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Duration budget = WaitBudget.of(timeoutParameter(request));
        Waiting entry = null;
        boolean admitted = false;
        int inLine;
        lock.lock();
        try {
            if (running < maxConcurrent && waiting.isEmpty()) {
                running++;
                admitted = true;
            } else if (waiting.size() < MAX_WAITING) {
                entry = new Waiting(request, response, callback, budget);
                waiting.addLast(entry);
            }
            inLine = waiting.size();
        } finally {
            lock.unlock();
        }
        if (admitted) {
            return handleWithSlot(request, response, callback);
        }
        if (entry == null) {
            refuse(request, response, callback, Duration.ZERO, budget, inLine);
            return true;
        }
        entry.timeout = scheduler.schedule(entry::expire, budget.toNanos(), TimeUnit.NANOSECONDS);
        return true;
    }

    private boolean handleWithSlot(Request request, Response response, Callback callback) throws Exception {
        Request.addCompletionListener(request, failure -> release());
        return super.handle(request, response, callback);
    }

    /** A slot is free: it goes to the first request still waiting, or back to the pool. */
    private void release() {
        Waiting next = null;
        lock.lock();
        try {
            Waiting candidate;
            while (next == null && (candidate = waiting.pollFirst()) != null) {
                if (candidate.claim()) {
                    next = candidate;
                }
            }
            if (next == null) {
                running--;
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            next.cancelTimeout();
            Waiting resumed = next;
            resumed.request.getComponents().getExecutor().execute(resumed::run);
        }
    }

    private void refuse(Request request, Response response, Callback callback, Duration waited, Duration budget, int inLine) {
        String webhook = webhookOf(request);
        metrics.refused(webhook);
        log.refused(webhook, waited, budget, inLine);
        response.setStatus(REFUSED_STATUS);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
        byte[] body = json.status(REFUSED_STATUS, HttpReasons.of(REFUSED_STATUS), "ProxyGuard could not start this review within "
                + ReviewLog.millis(budget) + " ms, half of the caller's timeout (" + inLine + " reviews waiting); retry in "
                + RETRY_AFTER_SECONDS + "s");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private String webhookOf(Request request) {
        String path = Request.getPathInContext(request);
        String name = path.startsWith("/") ? path.substring(1) : path;
        return webhooks.contains(name) ? name : WebhookMetrics.OTHER;
    }

    private static String timeoutParameter(Request request) {
        String query = request.getHttpURI().getQuery();
        if (query == null || !query.contains("timeout=")) {
            return null;
        }
        Fields.Field field = Request.extractQueryParameters(request).get("timeout");
        return field == null ? null : field.getValue();
    }

    /** One request waiting for a slot; whichever of {@link #run} (a slot) and {@link #expire} (its budget) claims it first wins. */
    private final class Waiting {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Duration budget;
        private final long since = System.nanoTime();
        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile Scheduler.Task timeout;

        private Waiting(Request request, Response response, Callback callback, Duration budget) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.budget = budget;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        void cancelTimeout() {
            Scheduler.Task task = timeout;
            if (task != null) {
                task.cancel();
            }
        }

        /** Runs on a pool thread once it holds a slot (already counted as running). */
        void run() {
            try {
                if (!handleWithSlot(request, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable failure) {
                Response.writeError(request, response, callback, failure);
            }
        }

        /** The budget ran out before a slot was free. */
        void expire() {
            if (!claim()) {
                return;
            }
            int inLine;
            lock.lock();
            try {
                waiting.remove(this);
                inLine = waiting.size();
            } finally {
                lock.unlock();
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - since);
            request.getComponents().getExecutor().execute(() -> refuse(request, response, callback, waited, budget, inLine));
        }
    }
}
