package io.proxyguard.webhook;

import io.proxyguard.tls.KeyStores;
import io.proxyguard.tls.Pem;
import io.proxyguard.tls.TlsMaterialException;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What the webhook's TLS port accepts: TLS 1.3 and 1.2 only, and only forward-secret AEAD cipher suites
 * (ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2; TLS 1.3 has nothing else). The API server's Go TLS
 * stack offers these first, so nothing it speaks is refused. With a client CA the port also requires a
 * client certificate signed by it (the API server's, see its {@code --admission-control-config-file}
 * kubeconfig), and a handshake without one, or with one from another CA, fails.
 */
record TlsPolicy(Optional<List<X509Certificate>> clientCas) {

    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** The policy for {@code clientCaFile}: reads the CA certificates now, so a bad file stops startup. */
    static TlsPolicy of(Optional<Path> clientCaFile) throws TlsMaterialException {
        if (clientCaFile.isEmpty()) {
            return new TlsPolicy(Optional.empty());
        }
        Path file = clientCaFile.get();
        String pem;
        try {
            pem = Files.readString(file);
        } catch (IOException e) {
            throw new TlsMaterialException("cannot read --client-ca " + file + ": " + e.getMessage(), e);
        }
        List<X509Certificate> cas = Pem.decodeCertificates(pem, file.toString());
        if (cas.isEmpty()) {
            throw new TlsMaterialException("--client-ca " + file + " holds no certificate");
        }
        return new TlsPolicy(Optional.of(cas));
    }

    /** Sets the protocol and cipher allow-lists and, with a client CA, required client authentication. */
    void applyTo(SslContextFactory.Server tls) {
        tls.setIncludeProtocols(ServingCertificate.PROTOCOLS.toArray(String[]::new));
        tls.setIncludeCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        clientCas.ifPresent(cas -> {
            tls.setTrustStore(KeyStores.trusting(cas.toArray(X509Certificate[]::new)));
            tls.setNeedClientAuth(true);
        });
    }
}
