package io.proxyguard.cli;

/**
 * What a {@code serve} process does ({@code --operation}, as Gatekeeper's {@code --operation=webhook,audit}):
 * answer admission reviews, run the background audit, or both. The chart runs them in separate Deployments,
 * so that an audit never takes CPU or memory from the replicas that answer the API server.
 */
enum ServeOperation {
    /** The admission webhook: the TLS port, its certificate, the reviews. */
    WEBHOOK,
    /** The background audit: PolicyReports and the {@code proxyguard_audit_*} metrics, led under its Lease. */
    AUDIT
}
