package io.proxyguard.certmanager;

import io.proxyguard.leader.DeploymentOwner;
import io.proxyguard.leader.LeaderElection;
import io.proxyguard.leader.LeaseAdoption;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.proxyguard.webhook.CertificateFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --certificates self-managed}: the webhook looks after its own CA and serving certificate. Every
 * replica serves what the Secret holds ({@link #feed()}); the replica that holds the Lease also writes: it
 * runs the {@link CertificateReconciler} at once when it starts leading, every check interval after that,
 * and at once when the Secret is deleted. The Secret and the Lease are owned by the replicas' Deployment
 * ({@link DeploymentOwner}), so they go with it. The {@link Clock} decides every renewal, so tests move time
 * instead of waiting for it.
 */
public final class SelfManagedCertificates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SelfManagedCertificates.class);

    private final SelfManagedSettings settings;
    private final CertificateReconciler reconciler;
    private final ScheduledExecutorService worker;
    private final SecretFeed feed;
    private final LeaderElection election;
    private final LeaseAdoption leaseAdoption;
    private ScheduledFuture<?> checks;

    private SelfManagedCertificates(KubernetesClient client, SelfManagedSettings settings, Clock clock) {
        this.settings = settings;
        DeploymentOwner owner = new DeploymentOwner(client, settings.namespace(), settings.ownerDeployment());
        this.leaseAdoption = new LeaseAdoption(client, owner, settings.namespace(), settings.leaseName());
        this.reconciler = new CertificateReconciler(new TlsSecretStore(client, settings.namespace(), settings.secretName(), owner),
                new WebhookTrust(client, settings.mutatingWebhook(), settings.validatingWebhook()),
                settings.renewal(), settings.serviceName(), settings.namespace(), clock);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "certificates");
            thread.setDaemon(true);
            return thread;
        });
        this.feed = new SecretFeed(client, settings.namespace(), settings.secretName(), () -> run(this::pass));
        this.election = new LeaderElection(client, "certificates", settings.namespace(), settings.leaseName(), settings.identity(),
                settings.election(), () -> run(this::startChecks), () -> run(this::stopChecks));
    }

    /** Starts watching the Secret and standing for leader; returns at once (the certificate arrives through {@link #feed()}). */
    public static SelfManagedCertificates start(KubernetesClient client, SelfManagedSettings settings, Clock clock) {
        SelfManagedCertificates manager = new SelfManagedCertificates(client, settings, clock);
        manager.feed.start();
        manager.election.start();
        return manager;
    }

    /** The serving certificates from the Secret, for the webhook. */
    public CertificateFeed feed() {
        return feed;
    }

    /** True while this replica holds the Lease and writes. */
    public boolean isLeader() {
        return election.isLeading();
    }

    /** Runs {@code task} on the worker, unless it has stopped (the election's last callbacks come while closing). */
    private void run(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("stopped: not running {}", task);
        }
    }

    private void startChecks() {
        stopChecks();
        leaseAdoption.restart();
        long interval = settings.checkInterval().toMillis();
        checks = worker.scheduleWithFixedDelay(this::pass, 0, interval, TimeUnit.MILLISECONDS);
    }

    private void stopChecks() {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
    }

    private void pass() {
        if (!election.isLeading()) {
            return;
        }
        leaseAdoption.check();
        try {
            reconciler.reconcile();
        } catch (KubernetesClientException e) {
            if (worker.isShutdown()) {
                LOG.debug("certificate check cut short by the stop: {}", e.getMessage());
            } else if (e.getCode() == 409) {
                LOG.info("Secret {}/{} changed while being renewed; checking again", settings.namespace(), settings.secretName());
                try {
                    worker.schedule(this::pass, settings.election().retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    LOG.debug("stopped: no new check");
                }
            } else {
                LOG.warn("certificate check failed ({}), next in {}s: {}", e.getCode(), settings.checkInterval().toSeconds(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("certificate check failed, next in {}s", settings.checkInterval().toSeconds(), e);
        }
    }

    /** Gives up the Lease (another replica takes over at once) and stops watching. */
    @Override
    public void close() {
        election.close();
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        feed.close();
    }
}
