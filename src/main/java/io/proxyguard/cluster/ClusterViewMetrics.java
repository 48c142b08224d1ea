package io.proxyguard.cluster;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code proxyguard_cluster_view_synced{resource}}: 1 once the informer on a watched resource has listed, 0 before.
 * A 0 on a ready replica is a degraded view: its reviews run the stateless rules only.
 */
public final class ClusterViewMetrics {

    private ClusterViewMetrics() {
    }

    public static void register(ClusterWatch watch, PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("proxyguard_cluster_view_synced")
                .help("1 when the cluster view has listed the resource, 0 while it has not (rules that read other objects "
                        + "then see an empty cluster)")
                .labelNames("resource")
                .callback(callback -> watch.syncedByResource().forEach((resource, synced) -> callback.call(synced ? 1 : 0, resource)))
                .register(registry);
    }
}
