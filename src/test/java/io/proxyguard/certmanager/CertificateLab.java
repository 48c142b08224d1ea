package io.proxyguard.certmanager;

import io.proxyguard.leader.ElectionTimings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.proxyguard.tls.Pem;
import io.proxyguard.tls.TlsMaterialException;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster side of the tests: fabric8's mock API server in CRUD mode holding the chart's two webhook
 * configurations (as {@code helm template} renders them), and replicas of the certificate manager, each with
 * its own client and user agent so the request log tells who wrote what.
 */
final class CertificateLab implements AutoCloseable {

    static final String NAMESPACE = "proxyguard";
    static final String FULLNAME = "pg-proxyguard";
    static final String SECRET = FULLNAME + "-tls";
    static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Short enough for a test: a CA for 300 days, a serving certificate for 30, retiring CAs kept an hour. */
    static final RenewalPolicy POLICY = new RenewalPolicy(Duration.ofDays(300), Duration.ofDays(30), Duration.ofHours(1));
    static final ElectionTimings ELECTION = new ElectionTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));

    final KubernetesMockServer server;
    final KubernetesClient client;
    private final List<AutoCloseable> started = new ArrayList<>();

    CertificateLab(KubernetesMockServer server, KubernetesClient client) {
        this.server = server;
        this.client = client;
        try (InputStream yaml = CertificateLab.class.getResourceAsStream("/certmanager/webhook-configurations.yaml")) {
            for (HasMetadata item : client.load(yaml).items()) {
                client.resource(item).create();
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            requestsSoFar(); // the set-up's own requests are not the replicas'
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A replica named {@code name} (its user agent and Lease identity), managing the certificates with {@code clock}. */
    SelfManagedCertificates replica(String name, Clock clock) {
        KubernetesClient own = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(name).build()).build();
        SelfManagedSettings settings = new SelfManagedSettings(NAMESPACE, SECRET, FULLNAME, Optional.of(FULLNAME),
                Optional.of(FULLNAME), FULLNAME + "-leader", Optional.of(FULLNAME), name, POLICY, ELECTION, Duration.ofMillis(100));
        SelfManagedCertificates replica = SelfManagedCertificates.start(own, settings, clock);
        started.add(own);
        started.add(replica);
        return replica;
    }

    Optional<Secret> secret() {
        return Optional.ofNullable(client.secrets().inNamespace(NAMESPACE).withName(SECRET).get());
    }

    CertificateSet stored() {
        try {
            return CertificateSet.fromSecret(secret().orElseThrow());
        } catch (TlsMaterialException e) {
            throw new AssertionError(e);
        }
    }

    /** Webhook name to the certificates of its caBundle (empty when it has none), for both configurations. */
    Map<String, List<X509Certificate>> caBundles() {
        Map<String, List<X509Certificate>> bundles = new LinkedHashMap<>();
        mutating().getWebhooks().forEach(w -> bundles.put(w.getName(), decode(w.getClientConfig().getCaBundle())));
        validating().getWebhooks().forEach(w -> bundles.put(w.getName(), decode(w.getClientConfig().getCaBundle())));
        return bundles;
    }

    /** Webhook name to its failurePolicy, for both configurations. */
    Map<String, String> failurePolicies() {
        Map<String, String> policies = new LinkedHashMap<>();
        mutating().getWebhooks().forEach(w -> policies.put(w.getName(), w.getFailurePolicy()));
        validating().getWebhooks().forEach(w -> policies.put(w.getName(), w.getFailurePolicy()));
        return policies;
    }

    MutatingWebhookConfiguration mutating() {
        return client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(FULLNAME).get();
    }

    ValidatingWebhookConfiguration validating() {
        return client.admissionRegistration().v1().validatingWebhookConfigurations().withName(FULLNAME).get();
    }

    /** True when every webhook's caBundle holds exactly {@code certificates}, in that order. */
    boolean everyWebhookTrusts(List<X509Certificate> certificates) {
        return caBundles().values().stream().allMatch(certificates::equals);
    }

    /** Every request since the last call, in the order the server got them. */
    List<Request> requestsSoFar() throws InterruptedException {
        List<Request> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
            requests.add(new Request(request.getHeader("User-Agent"), request.getMethod(), request.getPath(),
                    request.getBody() == null ? "" : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8)));
        }
        return requests;
    }

    /**
     * Waits until the leader {@code agent} has made {@code passes} more passes (each one reads the validating
     * configuration at least once), and returns every request seen meanwhile.
     */
    List<Request> awaitPasses(String agent, int passes) throws InterruptedException {
        List<Request> seen = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (seen.stream().filter(r -> r.agent().equals(agent) && r.method().equals("GET")
                && r.touches("validatingwebhookconfigurations")).count() < passes) {
            assertThat(System.nanoTime()).as("%s passes of %s within %s", passes, agent, DEADLINE).isLessThan(deadline);
            Thread.sleep(20);
            seen.addAll(requestsSoFar());
        }
        return seen;
    }

    /** The writes (anything but GET) among {@link #requestsSoFar()} to Secrets or webhook configurations. */
    List<Request> certificateWritesSoFar() throws InterruptedException {
        return requestsSoFar().stream().filter(r -> !r.method().equals("GET"))
                .filter(r -> r.touches("secrets") || r.touches("webhookconfigurations")).toList();
    }

    /** One recorded request. */
    record Request(String agent, String method, String path, String body) {
        boolean touches(String resource) {
            return path.contains(resource);
        }
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %s", what, DEADLINE).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static List<X509Certificate> decode(String caBundle) {
        if (caBundle == null || caBundle.isEmpty()) {
            return List.of();
        }
        try {
            return Pem.decodeCertificates(new String(Base64.getDecoder().decode(caBundle), StandardCharsets.US_ASCII), "caBundle");
        } catch (TlsMaterialException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // the next one still has to close
            }
        }
    }
}
