package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.HostNames;
import io.proxyguard.webhook.ServeHooks;
import io.proxyguard.webhook.ServeSettings;
import io.proxyguard.webhook.WebhookServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static io.proxyguard.certmanager.CertificateLab.FULLNAME;
import static io.proxyguard.certmanager.CertificateLab.NAMESPACE;
import static io.proxyguard.certmanager.CertificateLab.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-managed certificates against fabric8's mock API server in CRUD mode, with the chart's own webhook
 * configurations: first start, restart, renewal, CA rotation, two replicas, a deleted Secret, the Deployment as
 * owner of the Secret and the Lease, and a real TLS call that trusts exactly what was patched into the configuration.
 */
@EnableKubernetesMockClient(crud = true)
class SelfManagedCertificatesTest {

    private static final String SERVICE_DNS = FULLNAME + "." + NAMESPACE + ".svc";
    private static final String GATE = "validate-serviceentries.proxyguard.io";

    KubernetesMockServer server;
    KubernetesClient client;
    private CertificateLab lab;
    private final List<WebhookServer> webhooks = new ArrayList<>();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void cluster() {
        lab = new CertificateLab(server, client);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeLater) {
            closeable.close();
        }
        webhooks.forEach(WebhookServer::stop);
        lab.close();
    }

    @Test
    void firstStartCreatesTheSecretAndPatchesEveryCaBundleLeavingFailurePolicyAlone() throws Exception {
        // A runbook already switched the ServiceEntry gate to Ignore: the patch must not undo that.
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName(FULLNAME)
                .edit(c -> {
                    c.getWebhooks().get(0).setFailurePolicy("Ignore");
                    return c;
                });
        Map<String, String> policiesBefore = lab.failurePolicies();

        SelfManagedCertificates replica = lab.replica("replica-a", Clock.systemUTC());
        AtomicReference<CertificateAndKey> served = new AtomicReference<>();
        replica.feed().subscribe(served::set);

        eventually("a certificate served", () -> served.get() != null);
        eventually("every caBundle patched", () -> lab.everyWebhookTrusts(lab.stored().trustBundle()));
        Secret secret = lab.secret().orElseThrow();
        CertificateSet set = lab.stored();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsOnlyKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
        assertThat(set.retiringCas()).isEmpty();
        assertThat(set.servingSignedBySigningCa()).isTrue();
        assertThat(dnsNames(set.serving().certificate()))
                .containsExactlyInAnyOrderElementsOf(HostNames.forService(FULLNAME, NAMESPACE));
        assertThat(lab.caBundles()).containsOnlyKeys("mutate-serviceentries.proxyguard.io", GATE, "validate-workloads.proxyguard.io");
        assertThat(served.get().certificate()).isEqualTo(set.serving().certificate());
        assertThat(lab.failurePolicies()).isEqualTo(policiesBefore).containsEntry(GATE, "Ignore");
        assertThat(replica.isLeader()).isTrue();
    }

    @Test
    void restartWithTheSecretInPlaceRegeneratesAndWritesNothing() throws Exception {
        SelfManagedCertificates first = lab.replica("replica-a", Clock.systemUTC());
        eventually("Secret written and trusted", () -> lab.secret().isPresent() && lab.everyWebhookTrusts(lab.stored().trustBundle()));
        first.close();
        Secret before = lab.secret().orElseThrow();
        lab.requestsSoFar();

        SelfManagedCertificates second = lab.replica("replica-b", Clock.systemUTC());
        AtomicReference<CertificateAndKey> served = new AtomicReference<>();
        second.feed().subscribe(served::set);
        eventually("the new replica leads", second::isLeader);
        List<CertificateLab.Request> seen = lab.awaitPasses("replica-b", 3);

        assertThat(seen).filteredOn(r -> !r.method().equals("GET"))
                .filteredOn(r -> r.touches("secrets") || r.touches("webhookconfigurations")).isEmpty();
        Secret after = lab.secret().orElseThrow();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(after.getData()).isEqualTo(before.getData());
        assertThat(served.get().certificate()).isEqualTo(lab.stored().serving().certificate());
    }

    @Test
    void servingCertificateIsRenewedWhenAThirdOfItsLifeRemainsAndServedWithoutRestart() throws Exception {
        // Started 25 days ago, so that after moving 21 days on the renewed certificate is valid for a real handshake.
        MovableClock clock = new MovableClock(Instant.now().minus(Duration.ofDays(25)));
        SelfManagedCertificates replica = lab.replica("replica-a", clock);
        WebhookServer webhook = webhook(replica);
        eventually("first certificate served", () -> webhook.certificate().current() != null);
        CertificateSet first = lab.stored();

        clock.advance(Duration.ofDays(19));
        lab.awaitPasses("replica-a", 3); // at day 19 two thirds of 30 days are not over: nothing may change
        assertThat(lab.stored().serving().certificate()).isEqualTo(first.serving().certificate());

        clock.advance(Duration.ofDays(2));
        eventually("serving certificate renewed", () -> !lab.stored().serving().certificate().equals(first.serving().certificate()));
        CertificateSet renewed = lab.stored();
        eventually("renewed certificate in service", () -> renewed.serving().certificate().equals(webhook.certificate().current().certificate()));

        assertThat(renewed.signingCa().certificate()).isEqualTo(first.signingCa().certificate());
        assertThat(renewed.retiringCas()).isEmpty();
        assertThat(renewed.serving().notBefore()).isAfter(first.serving().notBefore().plus(Duration.ofDays(20)));
        assertThat(lab.everyWebhookTrusts(List.of(first.signingCa().certificate()))).isTrue();
        WebhookOverTls.Answer answer = WebhookOverTls.post(webhook.port(), SERVICE_DNS, List.of(first.signingCa().certificate()),
                "/validate", review("v1-create-clean"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.peer()).isEqualTo(renewed.serving().certificate());
    }

    @Test
    void caRotationTrustsBothCasBeforeTheNewOneSignsWhatIsServedThenDropsTheOld() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        lab.replica("replica-a", clock);
        eventually("first Secret trusted", () -> lab.secret().isPresent() && lab.everyWebhookTrusts(lab.stored().trustBundle()));
        X509Certificate oldCa = lab.stored().signingCa().certificate();
        WriteHistory history = new WriteHistory(client);
        closeLater(history);

        clock.advance(Duration.ofDays(201)); // 99 of 300 days left: under a third
        eventually("new CA signs the serving certificate", () -> {
            CertificateSet set = lab.stored();
            return !set.signingCa().certificate().equals(oldCa) && set.servingSignedBySigningCa();
        });
        CertificateSet rotated = lab.stored();
        X509Certificate newCa = rotated.signingCa().certificate();
        assertThat(rotated.retiringCas()).containsExactly(oldCa);
        eventually("both CAs in every caBundle", () -> lab.everyWebhookTrusts(List.of(newCa, oldCa)));

        // The order of the writes: both configurations trusted the new CA before a Secret carried a certificate it signed.
        long newServingWritten = history.firstSecret(set -> set.signingCa().certificate().equals(newCa) && set.servingSignedBySigningCa());
        assertThat(newServingWritten).as("a Secret write with a serving certificate of the new CA").isPositive();
        assertThat(history.firstMutatingTrusting(newCa)).as("mutating caBundle patched first").isPositive().isLessThan(newServingWritten);
        assertThat(history.firstValidatingTrusting(newCa)).as("validating caBundle patched first").isPositive().isLessThan(newServingWritten);

        clock.advance(Duration.ofMinutes(59));
        lab.awaitPasses("replica-a", 3);
        assertThat(lab.everyWebhookTrusts(List.of(newCa, oldCa))).as("old CA kept during the grace period").isTrue();

        clock.advance(Duration.ofMinutes(2));
        eventually("only the new CA trusted", () -> lab.everyWebhookTrusts(List.of(newCa)));
        assertThat(lab.stored().trustBundle()).containsExactly(newCa);
        assertThat(lab.stored().serving().certificate()).isEqualTo(rotated.serving().certificate());
    }

    @Test
    void twoReplicasStartingAtOnceLetOnlyOneWrite() throws Exception {
        SelfManagedCertificates a = lab.replica("replica-a", Clock.systemUTC());
        SelfManagedCertificates b = lab.replica("replica-b", Clock.systemUTC());
        AtomicReference<CertificateAndKey> servedA = new AtomicReference<>();
        AtomicReference<CertificateAndKey> servedB = new AtomicReference<>();
        a.feed().subscribe(servedA::set);
        b.feed().subscribe(servedB::set);

        eventually("both replicas serve", () -> servedA.get() != null && servedB.get() != null);
        eventually("every caBundle trusts the Secret's CA", () -> lab.everyWebhookTrusts(lab.stored().trustBundle()));
        List<CertificateLab.Request> writes = lab.certificateWritesSoFar();

        assertThat(a.isLeader() ^ b.isLeader()).as("exactly one leader").isTrue();
        String leader = a.isLeader() ? "replica-a" : "replica-b";
        assertThat(writes).extracting(CertificateLab.Request::agent).containsOnly(leader);
        assertThat(writes).filteredOn(w -> w.touches("secrets") && w.method().equals("POST")).hasSize(1);
        assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        assertThat(lab.stored().trustBundle()).hasSize(1);
        assertThat(servedA.get().certificate()).isEqualTo(servedB.get().certificate()).isEqualTo(lab.stored().serving().certificate());
    }

    @Test
    void deletedSecretIsRecreatedWithANewCaWhileTheOldStaysTrustedUntilEveryReplicaMovedOn() throws Exception {
        MovableClock clock = new MovableClock(Instant.now());
        SelfManagedCertificates replica = lab.replica("replica-a", clock);
        AtomicReference<CertificateAndKey> served = new AtomicReference<>();
        replica.feed().subscribe(served::set);
        eventually("first Secret trusted", () -> lab.secret().isPresent() && lab.everyWebhookTrusts(lab.stored().trustBundle()));
        X509Certificate oldCa = lab.stored().signingCa().certificate();

        client.secrets().inNamespace(NAMESPACE).withName(CertificateLab.SECRET).delete();
        eventually("Secret recreated with a new CA", () -> lab.secret().isPresent() && !lab.stored().signingCa().certificate().equals(oldCa));
        X509Certificate newCa = lab.stored().signingCa().certificate();
        eventually("new certificate served", () -> served.get().certificate().equals(lab.stored().serving().certificate()));
        assertThat(lab.everyWebhookTrusts(List.of(newCa, oldCa))).as("old CA still trusted while replicas move over").isTrue();

        clock.advance(Duration.ofMinutes(61));
        eventually("only the new CA trusted", () -> lab.everyWebhookTrusts(List.of(newCa)));
    }

    @Test
    void theSecretAndTheLeaseAreOwnedByTheDeploymentSoThatUninstallDeletesThem() throws Exception {
        String uid = deployment().getMetadata().getUid();

        SelfManagedCertificates replica = lab.replica("replica-a", Clock.systemUTC());
        eventually("the Secret is written", () -> lab.secret().isPresent());
        eventually("the Lease is owned", () -> !owners(lease()).isEmpty());

        for (HasMetadata created : List.of(lab.secret().orElseThrow(), lease())) {
            assertThat(owners(created)).as(created.getKind()).singleElement().satisfies(owner -> {
                assertThat(owner.getApiVersion()).isEqualTo("apps/v1");
                assertThat(owner.getKind()).isEqualTo("Deployment");
                assertThat(owner.getName()).isEqualTo(FULLNAME);
                assertThat(owner.getUid()).isEqualTo(uid);
                assertThat(owner.getBlockOwnerDeletion()).as("needs no right on the Deployment's finalizers").isNull();
                assertThat(owner.getController()).isNull();
            });
        }
        assertThat(replica.isLeader()).isTrue();
    }

    @Test
    void aLeaseTheLeaderCouldNotAdoptAtFirstIsAdoptedAtALaterCheck() throws Exception {
        // The Deployment cannot be found when the replica starts leading (as when the first adoption meets a conflict
        // with the elector's renewal): the Lease must not stay unowned for good.
        SelfManagedCertificates replica = lab.replica("replica-a", Clock.systemUTC());
        eventually("the replica leads", replica::isLeader);
        eventually("the Secret is written", () -> lab.secret().isPresent());
        assertThat(owners(lease())).as("no Deployment yet").isEmpty();

        String uid = deployment().getMetadata().getUid();

        eventually("the Lease is owned", () -> !owners(lease()).isEmpty());
        assertThat(owners(lease())).singleElement().satisfies(owner -> assertThat(owner.getUid()).isEqualTo(uid));
    }

    @Test
    void aSecretWrittenWithoutAnOwnerIsAdoptedAndKeptAsItWas() throws Exception {
        SelfManagedCertificates first = lab.replica("replica-a", Clock.systemUTC());
        eventually("the Secret is written", () -> lab.secret().isPresent());
        first.close();
        assertThat(owners(lab.secret().orElseThrow())).as("no Deployment yet: nothing owns it").isEmpty();
        Map<String, String> data = lab.secret().orElseThrow().getData();
        String uid = deployment().getMetadata().getUid();

        lab.replica("replica-b", Clock.systemUTC());

        eventually("the Secret is adopted", () -> !owners(lab.secret().orElseThrow()).isEmpty());
        assertThat(owners(lab.secret().orElseThrow())).extracting(OwnerReference::getUid).containsExactly(uid);
        assertThat(lab.secret().orElseThrow().getData()).as("the certificates are kept").isEqualTo(data);
    }

    /** The chart's Deployment, as Helm would have created it before the pods. */
    private Deployment deployment() {
        return client.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
                .withNewMetadata().withName(FULLNAME).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", FULLNAME).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", FULLNAME).endMetadata()
                .withNewSpec().addNewContainer().withName("proxyguard").withImage("proxyguard").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    private Lease lease() {
        return client.leases().inNamespace(NAMESPACE).withName(FULLNAME + "-leader").get();
    }

    private static List<OwnerReference> owners(HasMetadata object) {
        return object == null ? List.of() : object.getMetadata().getOwnerReferences();
    }

    @Test
    void webhookAnswersOverTlsToAClientThatTrustsExactlyThePatchedCaBundle() throws Exception {
        SelfManagedCertificates replica = lab.replica("replica-a", Clock.systemUTC());
        WebhookServer webhook = webhook(replica);
        eventually("ready", () -> webhook.certificate().isUsable(Instant.now()) && lab.secret().isPresent()
                && lab.everyWebhookTrusts(lab.stored().trustBundle()));
        List<X509Certificate> caBundle = CertificateLab.decode(lab.validating().getWebhooks().get(0).getClientConfig().getCaBundle());

        WebhookOverTls.Answer answer = WebhookOverTls.post(webhook.port(), SERVICE_DNS, caBundle, "/validate", review("v1-create-http-proxy"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.response()).contains("\"allowed\":false").contains("PG101");
        assertThat(answer.peer()).isEqualTo(lab.stored().serving().certificate());
    }

    private void closeLater(AutoCloseable closeable) {
        closeLater.add(closeable);
    }

    private WebhookServer webhook(SelfManagedCertificates replica) throws Exception {
        ServeSettings settings = new ServeSettings(Optional.empty(), "127.0.0.1", 0, 0, Optional.empty(), Optional.empty(),
                dir.resolve("unused-local"), Duration.ofMillis(100), Duration.ofSeconds(5));
        ServeHooks hooks = new ServeHooks(ServeHooks.none().view(), Map.of(), List.of(), List.of(), Optional.of(replica.feed()));
        WebhookServer webhook = WebhookServer.start(settings, hooks, new PrometheusRegistry());
        webhooks.add(webhook);
        return webhook;
    }

    private static String review(String name) throws Exception {
        try (InputStream in = SelfManagedCertificatesTest.class.getResourceAsStream("/admission/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> dnsNames(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(name -> (String) name.get(1)).toList();
    }
}
