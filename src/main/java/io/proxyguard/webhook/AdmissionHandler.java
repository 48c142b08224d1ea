package io.proxyguard.webhook;

/**
 * Judges one admission request. Implementations know nothing of HTTP or JSON wire formats: those are the
 * {@link AdmissionEndpoint}'s job. An implementation returns a result for every request it can read and
 * lets only unexpected failures escape (they become HTTP 500).
 */
@FunctionalInterface
public interface AdmissionHandler {

    AdmissionResult handle(AdmissionRequest request);
}
