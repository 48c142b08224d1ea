package io.proxyguard.engine.workload;

/** A workload in view that sends traffic through the proxy at {@code url} (an IP literal). */
public record ProxyUse(WorkloadSummary workload, ProxyUrl url) {
}
