package io.proxyguard.engine;

/**
 * What a rule is: its stable ID ({@code PG1xx} for ServiceEntries, {@code PG2xx} for workloads), its default
 * severity, a title, and the paragraph that explains why it exists (shown in docs and in SARIF help).
 */
public record RuleInfo(String id, Severity defaultSeverity, String title, String rationale) {
}
