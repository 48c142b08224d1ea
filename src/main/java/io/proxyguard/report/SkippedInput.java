package io.proxyguard.report;

/**
 * Input that was not checked, on purpose, with the reason: a Helm chart without {@code helm}, a kustomization
 * without {@code kubectl}, a template outside a chart. A note in every format; it does not change the exit code.
 */
public record SkippedInput(String file, String reason) {
}
