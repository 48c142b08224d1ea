package io.proxyguard.webhook;

import io.proxyguard.cli.Main;
import io.proxyguard.tls.CertificateFiles;
import io.proxyguard.tls.KeyStores;
import io.proxyguard.tls.Pem;
import io.proxyguard.tls.TlsMaterialException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** Certificates made the way an operator makes them: by running {@code proxyguard certs}. */
final class TestCertificates {

    private TestCertificates() {
    }

    /** Runs {@code proxyguard certs} for Service webhook/proxyguard plus localhost and 127.0.0.1 into {@code dir}. */
    static CertificateFiles create(Path dir) {
        int exit = Main.run("certs", "--service", "proxyguard-webhook", "--namespace", "proxyguard",
                "--host", "localhost", "--host", "127.0.0.1", "--out", dir.toString());
        assertThat(exit).as("proxyguard certs exit code").isZero();
        return new CertificateFiles(dir);
    }

    /** A TLS context that trusts only the CA in {@code files}: no system CAs. */
    static SSLContext trustingOnly(CertificateFiles files) {
        try {
            X509Certificate ca = Pem.decodeCertificates(Files.readString(files.caCert()), files.caCert().toString()).get(0);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(KeyStores.trusting(ca));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException | TlsMaterialException e) {
            throw new IllegalStateException(e);
        }
    }
}
