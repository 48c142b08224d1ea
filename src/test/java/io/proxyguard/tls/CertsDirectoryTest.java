package io.proxyguard.tls;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's {@code certs/} directory, where {@code serve} and {@code certs} write by default: git ignores
 * every key and certificate made there (also in subdirectories), and tracks only the README that says why.
 * Asked of git itself ({@code git check-ignore --no-index}), so the rules are checked as git reads them.
 */
class CertsDirectoryTest {

    private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"certs/ca.key", "certs/tls.key", "certs/ca.crt", "certs/tls.crt", "certs/tls.key.tmp",
            "certs/webhook.example.test/tls.key", "certs/webhook.example.test/ca.crt"})
    void gitIgnoresWhatIsMadeInCerts(String path) throws Exception {
        assertThat(checkIgnore(path)).as("git check-ignore %s", path).isZero();
    }

    @Test
    void gitTracksTheReadmeThatExplainsTheDirectory() throws Exception {
        assertThat(checkIgnore("certs/README.md")).as("git check-ignore certs/README.md").isEqualTo(1);
        String readme = Files.readString(REPO.resolve("certs/README.md"));
        assertThat(readme).contains(CertificateFiles.CA_CERT, CertificateFiles.CA_KEY, CertificateFiles.TLS_CERT,
                CertificateFiles.TLS_KEY, "--certs-dir", "--host", "--out certs/");
    }

    /** Exit code of {@code git check-ignore}: 0 ignored, 1 not ignored. */
    private static int checkIgnore(String path) throws Exception {
        Process git = new ProcessBuilder("git", "check-ignore", "--no-index", "-q", path)
                .directory(REPO.toFile()).redirectErrorStream(true).start();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return git.exitValue();
    }
}
