package io.proxyguard.webhook;

import java.util.Locale;

/** How one review ended: the {@code outcome} label of the request metric and the {@code decision} in the log. */
public enum Outcome {
    /** Evaluated, nothing to say. */
    ALLOWED,
    /** Allowed with warnings. */
    WARNED,
    /** Allowed with a patch (mutating webhook). */
    PATCHED,
    /** Rejected with 403 (validating webhook). */
    DENIED,
    /** Not evaluated: DELETE, CONNECT, a subresource, or a kind ProxyGuard has no rules for. */
    SKIPPED,
    /** The object's fields could not be read; allowed (the API server's schema validation rejects it). */
    UNREADABLE,
    /** The HTTP request was not a usable AdmissionReview (4xx). */
    BAD_REQUEST,
    /** An unexpected internal error (500): the webhook's failurePolicy decides. */
    ERROR,
    /** Not started: it could not be answered in time ({@link AdmissionQueue}, 429 with Retry-After). */
    REFUSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
