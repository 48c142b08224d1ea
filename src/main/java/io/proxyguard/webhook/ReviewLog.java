package io.proxyguard.webhook;

import io.proxyguard.engine.Finding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One structured line per review: who asked what about which object, what was decided, which rules
 * spoke and how long it took. Never the object's content: only its identity, as the request names it.
 */
public final class ReviewLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.proxyguard.webhook.review");

    /** Logs an answered review. */
    public void answered(String webhook, AdmissionRequest request, AdmissionResult result, Duration elapsed) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String rules = result.findings().stream().map(Finding::ruleId).distinct().collect(Collectors.joining(","));
        String line = new LogLine("admission review")
                .add("webhook", webhook)
                .add("uid", request.uid())
                .add("operation", request.operation())
                .add("kind", request.kind())
                .add("namespace", request.namespace())
                .add("name", request.name())
                .add("user", request.user())
                .add("dryRun", request.dryRun())
                .add("decision", result.outcome().label())
                .add("rules", rules.isEmpty() ? "-" : rules)
                .add("durationMs", millis(elapsed))
                .toString();
        LOG.info(line);
    }

    /** Logs a request that got an HTTP error instead of a review. */
    public void rejected(String webhook, int status, String reason, Duration elapsed) {
        LOG.warn(new LogLine("admission request rejected")
                .add("webhook", webhook)
                .add("status", status)
                .add("reason", reason)
                .add("durationMs", millis(elapsed))
                .toString());
    }

    /** Logs an unexpected failure (answered with HTTP 500) with its stack trace. */
    public void failed(String webhook, AdmissionRequest request, Duration elapsed, Throwable error) {
        LogLine line = new LogLine("admission review failed").add("webhook", webhook);
        if (request != null) {
            line.add("uid", request.uid()).add("operation", request.operation()).add("kind", request.kind())
                    .add("namespace", request.namespace()).add("name", request.name());
        }
        LOG.error(line.add("decision", Outcome.ERROR.label()).add("durationMs", millis(elapsed)).toString(), error);
    }

    /** Milliseconds with two decimals, rounded half up ({@code 0.84}); no Formatter: this runs on every review. */
    static String millis(Duration elapsed) {
        long hundredths = (elapsed.toNanos() + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
