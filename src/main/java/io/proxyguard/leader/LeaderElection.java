package io.proxyguard.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * fabric8's LeaderElector on a {@code coordination.k8s.io} Lease, standing again after it loses the lead (a
 * fabric8 elector runs once), and releasing the Lease on close so that another replica takes over at once
 * instead of after the lease duration (when the API server answers within {@link #RELEASE_WAIT}). Each job that needs one writer (certificates, the audit's reports) has an
 * election of its own on a Lease of its own, so their leaders are independent.
 */
public final class LeaderElection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    /**
     * How long {@link #close()} waits for the Lease to be released. The release is a request to the API server, which
     * fabric8 retries for minutes when the server does not answer: a stop must not wait for that, since another replica
     * takes over anyway once the Lease expires.
     */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(3);

    private final KubernetesClient client;
    private final LeaderElectionConfig config;
    private final String leaseName;
    private volatile boolean leading;
    private boolean closed;
    private CompletableFuture<?> running;

    /**
     * @param job what the leader does, in log lines: {@code certificates}, {@code audit}; the elector is named
     *            {@code proxyguard-<job>}
     */
    public LeaderElection(KubernetesClient client, String job, String namespace, String lease, String identity, ElectionTimings timings,
                          Runnable onStartLeading, Runnable onStopLeading) {
        this.client = client;
        this.leaseName = namespace + "/" + lease;
        this.config = new LeaderElectionConfigBuilder()
                .withName("proxyguard-" + job)
                .withLock(new LeaseLock(namespace, lease, identity))
                .withLeaseDuration(timings.leaseDuration())
                .withRenewDeadline(timings.renewDeadline())
                .withRetryPeriod(timings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            leading = true;
                            LOG.info("leading: {} writes the {} (Lease {}/{})", identity, job, namespace, lease);
                            onStartLeading.run();
                        },
                        () -> {
                            if (leading) {
                                leading = false;
                                LOG.info("no longer leading (Lease {}/{})", namespace, lease);
                                onStopLeading.run();
                            }
                        },
                        leader -> LOG.info("{} leader is now {}", job, leader)))
                .build();
    }

    public synchronized LeaderElection start() {
        if (closed) {
            return this;
        }
        running = client.leaderElector().withConfig(config).build().start();
        running.whenComplete((done, error) -> {
            if (error != null && !running.isCancelled()) {
                LOG.warn("leader election ended: {}", error.getMessage());
            }
            start();
        });
        return this;
    }

    public boolean isLeading() {
        return leading;
    }

    /** Stops standing and releases the Lease if this replica holds it, waiting at most {@link #RELEASE_WAIT} for that. */
    @Override
    public void close() {
        CompletableFuture<?> election;
        synchronized (this) {
            closed = true;
            election = running;
        }
        if (election == null) {
            return;
        }
        // On a thread of the common pool (daemon): cancelling runs the release, which may wait for an API server that is gone.
        CompletableFuture<Void> released = CompletableFuture.runAsync(() -> election.cancel(true));
        try {
            released.get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("the Lease {} was not released within {} s (the API server does not answer): another replica takes over "
                    + "when it expires", leaseName, RELEASE_WAIT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("releasing the Lease {} failed: {}", leaseName, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
