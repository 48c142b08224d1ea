package io.proxyguard.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxyguard.cli.Main;
import io.proxyguard.cli.ProbeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proxyguard probe} as a user runs it: options, exit codes, text and JSON reports, the password kept secret. */
@ExtendWith(ProbeLab.Extension.class)
class ProbeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(Map<String, String> environment, String... args) {
        CommandLine commandLine = new CommandLine(new ProbeCommand(environment::get));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void printsEachTimedStepAndTheCertificateAndExitsZero(ProbeLab lab) {
        Run run = run("--proxy", lab.allowingSquid.address().toString(), "--target", ProbeLab.target(lab.goodService).toString(),
                "--ca", lab.caFile.toString(), "--timeout", "5s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Main.EXIT_OK);
        assertThat(run.out()).contains(lab.allowingSquid.address() + " -> " + ProbeLab.target(lab.goodService) + ": PASS",
                "tcp connect", "CONNECT", "HTTP/1.1 200", "tls handshake", "CN=external.test", "issued by CN=ProxyGuard Test CA",
                "1 passed, 0 failed");
    }

    @Test
    void writesJsonWithDiagnosisStepsAndAnswerAndExitsOneOnFailure(ProbeLab lab) throws IOException {
        Run run = run("--proxy", lab.guideSquid.address().toString(), "--target", ProbeLab.target(lab.goodService).toString(),
                "--ca", lab.caFile.toString(), "-o", "json");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode result = JSON.readTree(run.out()).path("results").path(0);
        assertThat(result.path("diagnosis").asText()).isEqualTo("proxy-denied");
        assertThat(result.path("passed").asBoolean()).isFalse();
        assertThat(result.path("steps").findValuesAsText("step")).containsExactly("tcp_connect", "connect");
        assertThat(result.path("answer").path("status").asInt()).isEqualTo(403);
        assertThat(result.path("answer").path("headers").path("X-Squid-Error").asText()).startsWith("ERR_ACCESS_DENIED");
        assertThat(JSON.readTree(run.out()).path("summary").path("failed").asInt()).isEqualTo(1);
    }

    @Test
    void probesEveryConfiguredProxyAndTarget(ProbeLab lab, @TempDir Path dir) throws IOException {
        Path config = dir.resolve("proxyguard.yaml");
        Files.writeString(config, """
                proxies:
                  - name: allowing
                    address: 127.0.0.1
                    port: %d
                    hosts: [allowing.proxy.test]
                  - name: guide
                    address: 127.0.0.1
                    port: %d
                    hosts: [guide.proxy.test]
                """.formatted(lab.allowingSquid.address().port(), lab.guideSquid.address().port()));

        Run run = run("--config", config.toString(), "--target", ProbeLab.target(lab.goodService).toString(),
                "--ca", lab.caFile.toString());

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run.out()).contains("allowing (" + lab.allowingSquid.address() + ") -> ", ": PASS",
                "guide (" + lab.guideSquid.address() + ") -> ", "FAIL (proxy-denied)", "1 passed, 1 failed");
    }

    @Test
    void exitsZeroWhenEveryConfiguredProxyPasses(ProbeLab lab, @TempDir Path dir) throws IOException {
        Path config = dir.resolve("proxyguard.yaml");
        Files.writeString(config, "proxies:\n  - {name: allowing, address: 127.0.0.1, port: %d, hosts: [p.test]}\n"
                .formatted(lab.allowingSquid.address().port()));

        Run run = run("--config", config.toString(), "--target", ProbeLab.target(lab.goodService).toString(), "--ca", lab.caFile.toString());

        assertThat(run.exitCode()).as(run.out()).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void acceptsBracketedIpv6Proxy() throws IOException {
        int port = LoopbackServer.freePort();

        Run run = run("--proxy", "[::1]:" + port, "--timeout", "500ms");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run.out()).contains("[::1]:" + port + " -> en.wikipedia.org:443: FAIL");
    }

    @Test
    void isRegisteredAsSubcommandOfMain() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));

        assertThat(commandLine.execute("probe", "--help")).isEqualTo(Main.EXIT_OK);
        assertThat(out.toString()).contains("--proxy=IP:PORT", "--target=HOST:PORT", "PROXYGUARD_PROXY_PASSWORD");
    }

    @Test
    void rejectsBadUsageWithExitTwoAndAClearMessage(ProbeLab lab, @TempDir Path dir) throws IOException {
        String proxy = lab.allowingSquid.address().toString();
        Path badConfig = dir.resolve("bad.yaml");
        Files.writeString(badConfig, "proxies:\n  - {name: x, address: proxy.example.com, port: 3128}\n");
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "proxies: []\n");

        assertUsage(run(), "exactly one of --proxy");
        assertUsage(run("--proxy", proxy, "--config", empty.toString()), "exactly one of --proxy");
        assertUsage(run("--proxy", proxy, "--timeout", "5"), "'5' is not a duration");
        assertUsage(run("--proxy", proxy, "--timeout", "0s"), "must be positive");
        assertUsage(run("--proxy", "fd00::5:3128"), "an IPv6 address needs brackets");
        assertUsage(run("--proxy", proxy, "--target", "external.test"), "has no port");
        assertUsage(run("--proxy", proxy, "--target", "external.test:70000"), "out of range");
        assertUsage(run("--proxy", proxy, "-o", "yaml"), "use text or json");
        assertUsage(run("--proxy", proxy, "--insecure", "--ca", lab.caFile.toString()), "contradict");
        assertUsage(run("--proxy", proxy, "--proxy-ca", lab.caFile.toString()), "only applies with --tls");
        assertUsage(run("--proxy", proxy, "--ca", dir.resolve("missing.pem").toString()), "cannot read CA certificates");
        assertUsage(run("--proxy", proxy, "--proxy-user", "alice"), "PROXYGUARD_PROXY_PASSWORD");
        assertUsage(run("--config", badConfig.toString()), "proxies[0].address");
        assertUsage(run("--config", empty.toString()), "lists no proxies");
    }

    private static void assertUsage(Run run, String message) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains(message);
    }

    @Test
    void authenticatesWithPasswordFromEnvironment(ProbeLab lab) {
        Run run = run(Map.of(ProbeCommand.PASSWORD_ENV, ProbeLab.PASSWORD),
                "--proxy", lab.authSquid.address().toString(), "--proxy-user", ProbeLab.USER,
                "--target", ProbeLab.target(lab.goodService).toString(), "--ca", lab.caFile.toString());

        assertThat(run.exitCode()).as(run.out()).isEqualTo(Main.EXIT_OK);
        assertThat(run.out()).doesNotContain(ProbeLab.PASSWORD);
    }

    /**
     * A proxy that echoes the password back (in its status line, a header and its body) must not make the
     * report show the password: checked in a real JVM with the password in its real environment.
     */
    @Test
    void neverPrintsThePasswordEvenWhenTheProxyEchoesIt() throws Exception {
        String password = "echo-me-\"secret\\";
        String token = Base64.getEncoder().encodeToString(("bob:" + password).getBytes(StandardCharsets.UTF_8));
        try (LoopbackServer echoing = LoopbackServer.start(connection -> {
            String head = FakeSidecar.readHead(connection.getInputStream());
            String credentials = head.lines().filter(l -> l.startsWith("Proxy-Authorization: ")).findFirst().orElse("none");
            String body = "you sent " + credentials + " = " + password;
            connection.getOutputStream().write(("HTTP/1.1 407 Denied " + password + "\r\nX-Echo: " + credentials
                    + " " + password + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
        })) {
            for (String format : List.of("text", "json")) {
                Process process = cli(Map.of(ProbeCommand.PASSWORD_ENV, password),
                        "probe", "--proxy", echoing.address().toString(), "--proxy-user", "bob", "-o", format);
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

                assertThat(process.exitValue()).as(output).isEqualTo(Main.EXIT_FINDINGS);
                assertThat(output).contains("proxy-auth-rejected", "user 'bob'", "****")
                        .doesNotContain(token).doesNotContain("echo-me-");
            }
        }
    }

    private static Process cli(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return builder.start();
    }
}
