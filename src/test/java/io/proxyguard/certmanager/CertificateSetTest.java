package io.proxyguard.certmanager;

import io.proxyguard.leader.ElectionTimings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.proxyguard.tls.CertificateAuthority;
import io.proxyguard.tls.TlsMaterialException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Secret's four keys: read back as written, and every broken Secret refused with the key named. */
class CertificateSetTest {

    private static final CertificateAuthority CA = CertificateAuthority.create(Duration.ofDays(30));
    private static final CertificateAuthority OLD_CA = CertificateAuthority.create(Duration.ofDays(30));

    @Test
    void readsBackWhatItWroteWithTheRetiringCasAfterTheSigningOne() throws Exception {
        CertificateSet set = new CertificateSet(CA.certificate(), List.of(OLD_CA.certificate().certificate()),
                CA.issueServing(List.of("pg.ns.svc"), List.of(), Duration.ofDays(1)));

        CertificateSet read = CertificateSet.fromSecret(secret(set.toSecretData()));

        assertThat(read.trustBundle()).containsExactly(CA.certificate().certificate(), OLD_CA.certificate().certificate());
        assertThat(read.serving().certificate()).isEqualTo(set.serving().certificate());
        assertThat(read.servingSignedBySigningCa()).isTrue();
        assertThat(read.withSigningCa(OLD_CA.certificate()).servingSignedBySigningCa()).isFalse();
    }

    @Test
    void refusesASecretWithoutTheCaKeyAsCertManagerLeavesIt() {
        Map<String, String> data = new HashMap<>(valid().toSecretData());
        data.remove(CertificateSet.CA_KEY);

        assertThatThrownBy(() -> CertificateSet.fromSecret(secret(data)))
                .isInstanceOf(TlsMaterialException.class).hasMessage("Secret proxyguard/pg-proxyguard-tls has no ca.key");
    }

    @Test
    void refusesACaKeyThatBelongsToAnotherCa() {
        Map<String, String> data = new HashMap<>(valid().toSecretData());
        data.put(CertificateSet.CA_KEY, new CertificateSet(OLD_CA.certificate(), List.of(), valid().serving()).toSecretData().get(CertificateSet.CA_KEY));

        assertThatThrownBy(() -> CertificateSet.fromSecret(secret(data)))
                .isInstanceOf(TlsMaterialException.class).hasMessageContaining("ca.key does not belong to the first certificate of ca.crt");
    }

    @Test
    void refusesAServingKeyThatDoesNotMatchItsCertificate() {
        Map<String, String> data = new HashMap<>(valid().toSecretData());
        data.put(CertificateSet.TLS_KEY, data.get(CertificateSet.CA_KEY));

        assertThatThrownBy(() -> CertificateSet.fromSecret(secret(data)))
                .isInstanceOf(TlsMaterialException.class).hasMessageContaining("tls.key does not match").hasMessageContaining("tls.crt");
    }

    @Test
    void settingsNameTheFlagThatIsMissing() {
        assertThatThrownBy(() -> new SelfManagedSettings("proxyguard", null, "pg", Optional.empty(), Optional.empty(), "pg-leader",
                Optional.empty(), "pod_1", RenewalPolicy.DEFAULT, ElectionTimings.DEFAULT, SelfManagedSettings.DEFAULT_CHECK_INTERVAL))
                .hasMessage("--cert-secret is required in self-managed certificate mode");
        assertThatThrownBy(() -> new SelfManagedSettings("proxyguard", "pg-tls", "PG_Service", Optional.empty(), Optional.empty(),
                "pg-leader", Optional.empty(), "pod_1", RenewalPolicy.DEFAULT, ElectionTimings.DEFAULT, SelfManagedSettings.DEFAULT_CHECK_INTERVAL))
                .hasMessage("--service: 'PG_Service' is not a Kubernetes object name");
    }

    private static CertificateSet valid() {
        return new CertificateSet(CA.certificate(), List.of(), CA.issueServing(List.of("pg.ns.svc"), List.of(), Duration.ofDays(1)));
    }

    private static Secret secret(Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withNamespace("proxyguard").withName("pg-proxyguard-tls").endMetadata()
                .withData(data).build();
    }
}
