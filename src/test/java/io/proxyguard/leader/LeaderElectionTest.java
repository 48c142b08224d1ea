package io.proxyguard.leader;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Standing for a Lease on fabric8's CRUD mock API server, and letting it go on close, also when the server is gone. */
class LeaderElectionTest {

    private static final ElectionTimings FAST = new ElectionTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));

    private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()), false);
    private KubernetesClient client;

    private LeaderElection leader(AtomicBoolean leading) {
        server.init();
        client = server.createClient();
        LeaderElection election = new LeaderElection(client, "audit", "proxyguard", "proxyguard-audit", "replica-a", FAST,
                () -> leading.set(true), () -> leading.set(false)).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!election.isLeading()) {
            assertThat(System.nanoTime()).as("leading within 20 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        return election;
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void closeReleasesTheLeaseSoThatAnotherReplicaNeedNotWaitForItToExpire() {
        AtomicBoolean leading = new AtomicBoolean();
        LeaderElection election = leader(leading);

        election.close();

        Lease lease = client.leases().inNamespace("proxyguard").withName("proxyguard-audit").get();
        // fabric8 releases as it should be read: the holder stays, its lease now lasts 1 s instead of 3.
        assertThat(lease.getSpec().getLeaseDurationSeconds()).as("released").isEqualTo(1);
        assertThat(leading).isFalse();
    }

    @Test
    void closeReturnsSoonWhenTheApiServerIsGoneInsteadOfRetryingTheReleaseForMinutes() {
        AtomicBoolean leading = new AtomicBoolean();
        LeaderElection election = leader(leading);
        server.destroy();

        // fabric8 retries the release's requests with a growing backoff for minutes; close waits RELEASE_WAIT (3 s).
        assertTimeoutPreemptively(Duration.ofSeconds(20), election::close);
    }
}
