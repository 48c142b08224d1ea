package io.proxyguard.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.proxyguard.engine.PolicyEngine;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The webhook's view of a (mock) cluster, as {@code serve} builds it: a started ClusterWatch feeding a LiveClusterView. */
final class WatchedView implements AutoCloseable {

    private final ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor();
    private final LiveClusterView view;
    private final ClusterWatch watch;

    private WatchedView(KubernetesClient client, PolicyEngine engine) {
        this.view = new LiveClusterView(engine.detector(), rebuilder, 10);
        this.watch = new ClusterWatch(client, view);
    }

    /** Started, and waited for until every informer has listed and the view is indexed (the webhook's readiness). */
    static WatchedView synced(KubernetesClient client, PolicyEngine engine) throws InterruptedException {
        WatchedView watched = new WatchedView(client, engine);
        watched.watch.start();
        MockCluster.eventually(watched.watch::hasSynced);
        return watched;
    }

    LiveClusterView view() {
        return view;
    }

    @Override
    public void close() {
        watch.close();
        rebuilder.shutdownNow();
    }
}
