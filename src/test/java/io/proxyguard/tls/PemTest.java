package io.proxyguard.tls;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemTest {

    private static final CertificateAuthority CA = CertificateAuthority.create(Duration.ofDays(1));

    @Test
    void certificateAndPkcs8KeyRoundTrip() throws Exception {
        CertificateAndKey serving = CA.issueServing(List.of("a"), List.of(), Duration.ofHours(1));

        String keyPem = serving.privateKeyPem();
        CertificateAndKey read = CertificateAndKey.fromPem(serving.certificatePem(), "tls.crt", keyPem, "tls.key");

        assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(read.certificate()).isEqualTo(serving.certificate());
        assertThat(read.privateKey().getEncoded()).isEqualTo(serving.privateKey().getEncoded());
    }

    /** A throwaway P-256 key as {@code openssl ecparam -name prime256v1 -genkey -noout} writes it (SEC1, "EC PRIVATE KEY"). */
    private static final String OPENSSL_EC_KEY = String.join("\n",
            "-----BEGIN EC PRIVATE KEY-----",
            "MHcCAQEEINrTa+BftlI2p9+awjHzvPlRjC7gt6XBm/2ks1Dm5m/roAoGCCqGSM49",
            "AwEHoUQDQgAEQaofjFDo8rpyhEoHtwmJlPa6DzSampUnPCuLnadOLSi+7lXMR5qK",
            "Qp7QQeZan8E61XXl5w7xTZY5nuXv13FyEA==",
            "-----END EC PRIVATE KEY-----") + "\n";

    @Test
    void traditionalEcKeyAsOpensslWritesItIsRead() throws Exception {
        java.security.PrivateKey key = Pem.decodePrivateKey(OPENSSL_EC_KEY, "openssl.key");

        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPrivateKey) key).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    }

    @Test
    void chainAfterTheLeafIsKept() throws Exception {
        CertificateAndKey serving = CA.issueServing(List.of("a"), List.of(), Duration.ofHours(1));
        String withChain = serving.certificatePem() + CA.caBundlePem();

        CertificateAndKey read = CertificateAndKey.fromPem(withChain, "tls.crt", serving.privateKeyPem(), "tls.key");

        assertThat(read.chain()).containsExactly(CA.certificate().certificate());
    }

    @Test
    void garbageAndMismatchedKeysGetClearErrors() {
        CertificateAndKey one = CA.issueServing(List.of("a"), List.of(), Duration.ofHours(1));
        CertificateAndKey two = CA.issueServing(List.of("b"), List.of(), Duration.ofHours(1));

        assertThatThrownBy(() -> Pem.decodeCertificates("hello", "tls.crt")).isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("tls.crt");
        assertThatThrownBy(() -> Pem.decodePrivateKey(one.certificatePem(), "tls.key")).isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("tls.key: no unencrypted");
        assertThatThrownBy(() -> CertificateAndKey.fromPem(one.certificatePem(), "tls.crt", two.privateKeyPem(), "tls.key"))
                .isInstanceOf(TlsMaterialException.class).hasMessageContaining("tls.key does not match tls.crt");
    }
}
