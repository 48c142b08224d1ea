package io.proxyguard.tls;

import io.proxyguard.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proxyguard certs} through the real command line. */
class CertsCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void writesCaAndServingCertificateForTheServiceAndPrintsTheCaBundle() throws Exception {
        int exit = run("certs", "--service", "proxyguard", "--namespace", "istio-system", "--host", "10.96.0.10",
                "--host", "webhook.example.com", "--days", "30", "--out", dir.toString());

        CertificateFiles files = new CertificateFiles(dir);
        CertificateAndKey serving = files.readServing();
        assertThat(exit).isZero();
        assertThat(SubjectAltNames.of(serving.certificate())).containsExactly(
                "proxyguard", "proxyguard.istio-system", "proxyguard.istio-system.svc", "proxyguard.istio-system.svc.cluster.local",
                "webhook.example.com", "10.96.0.10");
        serving.certificate().verify(files.readAuthority().certificate().certificate().getPublicKey());
        assertThat(new String(Base64.getDecoder().decode(out.toString().trim()), StandardCharsets.US_ASCII))
                .isEqualTo(Files.readString(files.caCert()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.caKey()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.tlsKey()))).isEqualTo("rw-------");
        assertThat(err.toString()).contains("wrote " + files.caCert());
    }

    @Test
    void refusesToOverwriteExistingFilesWithoutForce() throws Exception {
        run("certs", "--service", "a", "--namespace", "b", "--out", dir.toString());
        String firstCa = Files.readString(dir.resolve("ca.crt"));

        int again = run("certs", "--service", "a", "--namespace", "b", "--out", dir.toString());
        assertThat(again).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("refusing to overwrite").contains("--force");
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(firstCa);

        assertThat(run("certs", "--service", "a", "--namespace", "b", "--out", dir.toString(), "--force")).isZero();
        assertThat(Files.readString(dir.resolve("ca.crt"))).isNotEqualTo(firstCa);
    }

    @Test
    void badNamesAndDaysAreUsageErrorsAndWriteNothing() {
        int exit = run("certs", "--service", "Bad_Name", "--namespace", "ns", "--days", "0", "--host", "not a host", "--out", dir.toString());

        assertThat(exit).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--service 'Bad_Name'").contains("--days 0").contains("--host 'not a host'");
        assertThat(dir).isEmptyDirectory();
    }

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
