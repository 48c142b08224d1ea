package io.proxyguard.certmanager;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.HostNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.proxyguard.certmanager.CertificateLab.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The self-managed certificates against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class SelfManagedCertificatesTest {

    KubernetesMockServer server;
    KubernetesClient client;
    private CertificateLab lab;

    @BeforeEach
    void cluster() {
        lab = new CertificateLab(server, client);
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    @Test
    void firstStartCreatesTheSecretAndPatchesEveryCaBundleLeavingFailurePolicyAlone() throws Exception {
        // A runbook already switched the ServiceEntry gate to Ignore: the patch must not undo that.
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName(CertificateLab.FULLNAME)
                .edit(c -> { c.getWebhooks().get(0).setFailurePolicy("Ignore"); return c; });
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
        assertThat(set.serving().certificate().getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrderElementsOf(List.copyOf(HostNames.forService(CertificateLab.FULLNAME, CertificateLab.NAMESPACE)));
        assertThat(lab.caBundles()).containsOnlyKeys("mutate-serviceentries.proxyguard.io",
                "validate-serviceentries.proxyguard.io", "validate-workloads.proxyguard.io");
        assertThat(served.get().certificate()).isEqualTo(set.serving().certificate());
        assertThat(lab.failurePolicies()).isEqualTo(policiesBefore).containsEntry("validate-serviceentries.proxyguard.io", "Ignore");
        assertThat(replica.isLeader()).isTrue();
    }
}
