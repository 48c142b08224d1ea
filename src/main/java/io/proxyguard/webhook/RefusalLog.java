package io.proxyguard.webhook;

import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The log of reviews the {@link AdmissionQueue} refused, rate-limited: the first refusal is logged at once, the
 * ones that follow within {@link #INTERVAL} are counted and written as one line when the interval is over, so an
 * overload writes a line a few times a minute, not one per refused request. Every refusal is also counted in
 * {@code proxyguard_admission_requests_total} with {@code outcome="refused"}; this log says why and how many.
 */
final class RefusalLog {

    static final Duration INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger("io.proxyguard.webhook.review");

    private final Scheduler scheduler;
    private final long intervalNanos;
    private boolean quiet = true;
    private long nextLineAt;
    private int pending;
    private String pendingWebhooks = "";
    private boolean flushScheduled;

    RefusalLog(Scheduler scheduler, Duration interval) {
        this.scheduler = scheduler;
        this.intervalNanos = interval.toNanos();
    }

    /** One refused review: {@code waited} in the queue, allowed {@code budget}, {@code waiting} still in line. */
    synchronized void refused(String webhook, Duration waited, Duration budget, int waiting) {
        long now = System.nanoTime();
        if (quiet || now - nextLineAt >= 0) {
            quiet = false;
            LOG.warn(new LogLine("admission request refused: the webhook could not start it in time")
                    .add("webhook", webhook)
                    .add("status", AdmissionQueue.REFUSED_STATUS)
                    .add("waitedMs", ReviewLog.millis(waited))
                    .add("budgetMs", ReviewLog.millis(budget))
                    .add("waiting", waiting)
                    .add("retryAfterSeconds", AdmissionQueue.RETRY_AFTER_SECONDS)
                    .toString());
            nextLineAt = now + intervalNanos;
            return;
        }
        pending++;
        if (!pendingWebhooks.contains(webhook)) {
            pendingWebhooks = pendingWebhooks.isEmpty() ? webhook : pendingWebhooks + "," + webhook;
        }
        if (!flushScheduled) {
            flushScheduled = true;
            scheduler.schedule(this::flush, nextLineAt - now, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void flush() {
        flushScheduled = false;
        if (pending > 0) {
            LOG.warn(new LogLine("admission requests refused since the last line")
                    .add("webhooks", pendingWebhooks)
                    .add("count", pending)
                    .add("status", AdmissionQueue.REFUSED_STATUS)
                    .add("intervalSeconds", intervalNanos / 1_000_000_000L)
                    .toString());
            pending = 0;
            pendingWebhooks = "";
            nextLineAt = System.nanoTime() + intervalNanos;
        }
    }
}
