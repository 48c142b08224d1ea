package io.proxyguard.audit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.leader.DeploymentOwner;
import io.proxyguard.leader.LeaderElection;
import io.proxyguard.leader.LeaseAdoption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code serve}'s background audit: on the replica that holds the audit's Lease, every object ProxyGuard judges is
 * judged again with the webhook's engine and cluster view, every {@link AuditSettings#interval()} and
 * {@link AuditSettings#changeDelay()} after the view changes, and the results go to PolicyReports
 * ({@link PolicyReportWriter}) and to {@link AuditMetrics}. It runs on a thread of its own, paced to half of one core
 * ({@link PacedObjects}), and reads the view's immutable snapshot, so reviews never wait for it. Nothing runs before the view has synced: judged against a
 * half-filled view, entries would look unused and proxies unknown.
 */
public final class BackgroundAudit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundAudit.class);
    /** How often a leader whose view has not synced yet looks again: its first audit comes this soon after the sync. */
    private static final Duration SYNC_POLL = Duration.ofSeconds(1);

    private final ClusterView view;
    private final BooleanSupplier viewReady;
    private final CheckedObjects objects;
    private final PolicyReportWriter writer;
    private final AuditMetrics metrics;
    private final AuditSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private final LeaderElection election;
    private final LeaseAdoption leaseAdoption;
    private final AtomicBoolean changeRunScheduled = new AtomicBoolean();
    private final AtomicBoolean awaitingSync = new AtomicBoolean();
    private final ResultInterner written = new ResultInterner();
    private volatile PolicyEngine engine;
    private volatile boolean leading;
    private ScheduledFuture<?> periodic;

    private BackgroundAudit(KubernetesClient client, PolicyEngine engine, ClusterView view, BooleanSupplier viewReady,
                            CheckedObjects objects, AuditMetrics metrics, AuditSettings settings, Clock clock) {
        this.engine = engine;
        this.view = view;
        this.viewReady = viewReady;
        this.objects = new PacedObjects(objects);
        this.writer = new PolicyReportWriter(client);
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "audit");
            thread.setDaemon(true);
            return thread;
        });
        this.leaseAdoption = new LeaseAdoption(client, new DeploymentOwner(client, settings.namespace(), settings.ownerDeployment()),
                settings.namespace(), settings.leaseName());
        this.election = new LeaderElection(client, "audit", settings.namespace(), settings.leaseName(), settings.identity(),
                settings.election(), () -> run(this::startLeading), () -> run(this::stopLeading));
    }

    /** Stands for the audit's Lease and returns at once; the leader audits as soon as the view has synced. */
    public static BackgroundAudit start(KubernetesClient client, PolicyEngine engine, ClusterView view, BooleanSupplier viewReady,
                                        CheckedObjects objects, AuditMetrics metrics, AuditSettings settings, Clock clock) {
        BackgroundAudit audit = new BackgroundAudit(client, engine, view, viewReady, objects, metrics, settings, clock);
        metrics.leading(false);
        audit.election.start();
        return audit;
    }

    /** A new configuration is in force: the next audit uses it, and comes soon (severities and proxies may have changed). */
    public void useEngine(PolicyEngine newEngine) {
        this.engine = newEngine;
        viewChanged();
    }

    /** What the rules see has changed: audit {@link AuditSettings#changeDelay()} from now, unless a run is already due by then. */
    public void viewChanged() {
        if (leading && changeRunScheduled.compareAndSet(false, true)) {
            try {
                worker.schedule(() -> {
                    changeRunScheduled.set(false);
                    auditNow();
                }, settings.changeDelay().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("stopped: no audit after the change");
            }
        }
    }

    public boolean isLeading() {
        return leading;
    }

    private void startLeading() {
        leading = true;
        leaseAdoption.restart();
        metrics.leading(true);
        periodic = worker.scheduleWithFixedDelay(this::auditNow, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopLeading() {
        leading = false;
        written.forget();
        if (periodic != null) {
            periodic.cancel(false);
        }
        metrics.leading(false);
    }

    /** One audit, on the worker thread; runs are never concurrent. */
    private void auditNow() {
        if (!leading) {
            return;
        }
        if (!viewReady.getAsBoolean()) {
            LOG.debug("the cluster view has not synced yet: audit postponed");
            awaitSync();
            return;
        }
        leaseAdoption.check();
        long started = System.nanoTime();
        try {
            // Each verdict becomes its results and its counts at once: nothing of an object outlives its judgement, and
            // a result the cluster already holds is the one kept since the last write.
            PolicyReports.Builder reports = new PolicyReports.Builder(clock.instant(), written);
            AuditSummary.Tally tally = new AuditSummary.Tally();
            AuditRun.judge(engine, view, objects, reports.andThen(tally));
            if (!leading) {
                written.forget();
                return; // another replica leads now and writes its own
            }
            List<PolicyReport> inCluster = new ArrayList<>();
            PolicyReportWriter.Outcome outcome = writer.write(reports.reports(), inCluster::add);
            written.remember(inCluster);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            AuditSummary summary = tally.summary();
            metrics.failed(outcome.errors());
            metrics.ran(summary, Instant.now(clock), took);
            LOG.info("audit: {} objects judged, {} findings in {} ms; PolicyReports: {} created, {} updated, {} unchanged, {} emptied, {} failed{}",
                    summary.objects(), summary.findings(), took.toMillis(), outcome.created(), outcome.updated(),
                    outcome.unchanged(), outcome.emptied(), outcome.errors(), outcome.crdsServed() ? "" : " (no PolicyReport CRD)");
        } catch (RuntimeException e) {
            written.forget();
            metrics.failed(1);
            LOG.warn("audit failed (retried in {}): {}", settings.interval(), e.getMessage());
        }
    }

    /** Audits once the view has synced, looking every {@link #SYNC_POLL}; one such wait at a time, whatever asked for it. */
    private void awaitSync() {
        if (awaitingSync.compareAndSet(false, true)) {
            try {
                worker.schedule(() -> {
                    awaitingSync.set(false);
                    auditNow();
                }, SYNC_POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("stopped: no audit after the sync");
            }
        }
    }

    /** Runs {@code task} on the worker, unless it has stopped (the election's last callbacks come while closing). */
    private void run(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("stopped: not running {}", task);
        }
    }

    @Override
    public void close() {
        election.close();
        worker.shutdownNow();
    }
}
