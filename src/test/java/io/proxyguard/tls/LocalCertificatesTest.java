package io.proxyguard.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LocalCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void createsOnceThenReusesUntilCloseToExpiry() throws Exception {
        Clock now = Clock.systemUTC();
        CertificateFiles files = new CertificateFiles(dir.resolve("certs"));

        LocalCertificates.Result first = LocalCertificates.ensure(files, now);
        String certificate = Files.readString(files.tlsCert());
        LocalCertificates.Result second = LocalCertificates.ensure(files, now);
        assertThat(Files.readString(files.tlsCert())).as("reused unchanged").isEqualTo(certificate);
        Clock nearExpiry = Clock.fixed(Instant.now().plus(LocalCertificates.VALIDITY).minus(Duration.ofDays(1)), ZoneOffset.UTC);
        LocalCertificates.Result third = LocalCertificates.ensure(files, nearExpiry);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(Files.readString(files.tlsCert())).isNotEqualTo(certificate);
        assertThat(third.created()).isTrue();
        assertThat(third.reason()).contains("expires within 7 days");
        assertThat(SubjectAltNames.of(files.readServing().certificate()))
                .containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void unreadableFilesAreReplaced() throws Exception {
        CertificateFiles files = new CertificateFiles(dir);
        LocalCertificates.ensure(files, Clock.systemUTC());
        Files.writeString(files.tlsKey(), "garbage");

        LocalCertificates.Result result = LocalCertificates.ensure(files, Clock.systemUTC());

        assertThat(result.created()).isTrue();
        assertThat(files.readServing()).isNotNull();
    }
}
