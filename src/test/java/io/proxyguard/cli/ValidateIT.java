package io.proxyguard.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, run as users and CI pipelines run it. */
class ValidateIT {

    @Test
    void readmeQuickStartValidatesTheBundledExamples() throws Exception {
        JarProcess run = JarProcess.run(new byte[0], "validate", "-f", "examples/", "--config", "examples/proxyguard.yaml");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("PG101 deny").endsWith("52 objects checked: 4 deny, 19 warn, 0 errors, 6 fixed\n");
    }

    @Test
    void readsStdinAndPipesFixedYaml() throws Exception {
        byte[] broken = Files.readAllBytes(Path.of("examples/broken/pg102-bare-ip.yaml"));

        JarProcess fixed = JarProcess.run(broken, "validate", "-f", "-", "--config", "examples/proxyguard.yaml", "--fix");
        assertThat(fixed.exitCode()).isZero();
        assertThat(fixed.out()).contains("- 10.10.2.2/32");
        assertThat(fixed.err()).contains("stdin:2: ServiceEntry pg102/proxy-bare-ip: PG102 warn");

        JarProcess again = JarProcess.run(fixed.out().getBytes(StandardCharsets.UTF_8), "validate", "-f", "-",
                "--config", "examples/proxyguard.yaml", "--fail-on", "warn");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEqualTo("1 objects checked: 0 deny, 0 warn, 0 errors\n");
    }

    @Test
    void invalidUtf8OnStdinIsAnInputErrorInTheReportAndExitTwo() throws Exception {
        JarProcess run = JarProcess.run(new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'}, "validate", "-f", "-");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEqualTo("stdin:1:4: error: not valid UTF-8: byte 0xC3 does not start or continue a character here\n"
                + "0 objects checked: 0 deny, 0 warn, 1 errors\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void unknownCommandIsExitTwoWithUsage() throws Exception {
        JarProcess run = JarProcess.run(new byte[0], "valdate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument").contains("validate");
    }
}
