package io.proxyguard.probe;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Squid (from Debian's package, installed by {@code .ci/install-deps}) on a loopback port, with a
 * squid.conf generated from the guide's rules ({@code acl SSL_ports port 443},
 * {@code http_access deny CONNECT !SSL_ports}, ...) plus what a test run needs: logs and pid file in a
 * temporary folder, no cache directory, a hosts file that sends the test names to 127.0.0.1, optionally
 * more SSL ports, Basic authentication through {@code basic_ncsa_auth} and an {@code https_port}. It fails
 * loudly when Squid cannot start: a test that needs it must never pass without it.
 */
final class SquidServer implements AutoCloseable {

    static final List<String> TEST_HOSTS = List.of("external.test", "other.test");
    private static final List<Path> HELPER_DIRS = List.of(
            Path.of("/usr/lib/squid"), Path.of("/usr/lib64/squid"), Path.of("/usr/libexec/squid"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** What differs between the test's proxies. */
    record Config(List<Integer> extraSslPorts, Optional<BasicAuth> auth, Optional<TestPki.Issued> httpsCertificate) {

        /** The guide's configuration as it is: CONNECT only to port 443. */
        static Config guide() {
            return new Config(List.of(), Optional.empty(), Optional.empty());
        }

        Config allowingPorts(List<Integer> ports) {
            return new Config(List.copyOf(ports), auth, httpsCertificate);
        }

        Config requiringAuth(BasicAuth basicAuth) {
            return new Config(extraSslPorts, Optional.of(basicAuth), httpsCertificate);
        }

        Config withHttpsPort(TestPki.Issued certificate) {
            return new Config(extraSslPorts, auth, Optional.of(certificate));
        }
    }

    /** One user of the htpasswd file that {@code basic_ncsa_auth} checks. */
    record BasicAuth(String user, String password) {
    }

    private final Path directory;
    private final Process process;
    private final int httpPort;
    private final Integer httpsPort;

    private SquidServer(Path directory, Process process, int httpPort, Integer httpsPort) {
        this.directory = directory;
        this.process = process;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    /** Starts Squid and waits until it accepts connections; a port taken meanwhile is retried. */
    static SquidServer start(Config config) throws IOException, InterruptedException {
        Path binary = squidBinary();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Path directory = Files.createTempDirectory("proxyguard-squid-");
            int httpPort = LoopbackServer.freePort();
            Integer httpsPort = config.httpsCertificate().isPresent() ? LoopbackServer.freePort() : null;
            writeFiles(directory, config, httpPort, httpsPort);
            Process process = new ProcessBuilder(binary.toString(), "-N", "-f", directory.resolve("squid.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("squid.out").toFile())
                    .start();
            SquidServer squid = new SquidServer(directory, process, httpPort, httpsPort);
            try {
                squid.awaitListening();
                return squid;
            } catch (IllegalStateException e) {
                last = e;
                squid.close();
                if (!e.getMessage().contains("Address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    HostPort address() {
        return new HostPort("127.0.0.1", httpPort);
    }

    HostPort httpsAddress() {
        if (httpsPort == null) {
            throw new IllegalStateException("this Squid has no https_port");
        }
        return new HostPort("127.0.0.1", httpsPort);
    }

    /**
     * Waits for an access.log line that contains every fragment, as the guide checks its work:
     * {@code TCP_TUNNEL/200 ... CONNECT en.wikipedia.org:443}. Squid writes a tunnel's line when it closes.
     */
    String awaitAccessLogLine(String... fragments) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        Path log = directory.resolve("access.log");
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (Stream.of(fragments).allMatch(line::contains)) {
                        return line;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Squid's access.log has no line with " + List.of(fragments) + "; it holds:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no access.log)"));
    }

    private static Path squidBinary() {
        for (String candidate : List.of("/usr/sbin/squid", "/usr/bin/squid", "/usr/local/sbin/squid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("Squid is not installed, and the probe tests need a real one: run .ci/install-deps"
                + " (it installs Debian's squid package) before mvn verify.");
    }

    private static Path ncsaAuthHelper() {
        return HELPER_DIRS.stream().map(dir -> dir.resolve("basic_ncsa_auth")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("Squid's basic_ncsa_auth helper is missing from " + HELPER_DIRS));
    }

    private static void writeFiles(Path directory, Config config, int httpPort, Integer httpsPort) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("http_port 127.0.0.1:" + httpPort);
        config.httpsCertificate().ifPresent(certificate -> {
            try {
                certificate.writePem(directory.resolve("proxy-cert.pem"), directory.resolve("proxy-key.pem"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lines.add("https_port 127.0.0.1:" + httpsPort + " tls-cert=" + directory.resolve("proxy-cert.pem")
                    + " tls-key=" + directory.resolve("proxy-key.pem"));
        });
        // the guide's rules
        lines.add("acl SSL_ports port 443" + config.extraSslPorts().stream().map(p -> " " + p).collect(Collectors.joining()));
        lines.add("acl CONNECT method CONNECT");
        lines.add("http_access deny CONNECT !SSL_ports");
        lines.add("http_access allow localhost manager");
        lines.add("http_access deny manager");
        if (config.auth().isPresent()) {
            BasicAuth auth = config.auth().get();
            Files.writeString(directory.resolve("htpasswd"), auth.user() + ":" + bcrypt(auth.password()) + "\n");
            lines.add("auth_param basic program " + ncsaAuthHelper() + " " + directory.resolve("htpasswd"));
            lines.add("auth_param basic realm proxyguard-test");
            lines.add("acl authenticated proxy_auth REQUIRED");
            lines.add("http_access allow authenticated");
            lines.add("http_access deny all");
        } else {
            lines.add("http_access allow all");
        }
        // a test run's own folder, no disk cache, no DNS beyond the hosts file
        lines.add("coredump_dir " + directory);
        lines.add("pid_filename " + directory.resolve("squid.pid"));
        lines.add("access_log stdio:" + directory.resolve("access.log"));
        lines.add("cache_log " + directory.resolve("cache.log"));
        lines.add("cache_store_log none");
        lines.add("cache_mem 8 MB");
        lines.add("hosts_file " + directory.resolve("hosts"));
        lines.add("dns_nameservers 127.0.0.1");
        lines.add("dns_timeout 3 seconds");
        lines.add("visible_hostname proxyguard-test");
        lines.add("shutdown_lifetime 0 seconds");
        lines.add("pinger_enable off");
        lines.add("netdb_filename none");
        lines.add("logfile_rotate 0");
        effectiveUser().ifPresent(user -> lines.add("cache_effective_user " + user.getName()));
        Files.write(directory.resolve("squid.conf"), lines, StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("hosts"), TEST_HOSTS.stream().map(h -> "127.0.0.1 " + h + "\n").collect(Collectors.joining()));
        Optional<UserPrincipal> user = effectiveUser();
        if (user.isPresent()) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.toList()) {
                    Files.setOwner(file, user.get());
                }
            }
        }
    }

    /** Squid drops root privileges to this user; it must own the folder it logs into. Empty when not root. */
    private static Optional<UserPrincipal> effectiveUser() throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        for (String name : List.of("proxy", "squid", "nobody")) {
            try {
                return Optional.of(Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name));
            } catch (UserPrincipalNotFoundException e) {
                // try the next usual name
            }
        }
        throw new IllegalStateException("running as root, but none of the users proxy, squid, nobody exists for Squid to run as");
    }

    private static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 4);
    }

    private void awaitListening() throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Squid exited with code " + process.exitValue() + " before it listened:\n" + output());
            }
            if (accepts(httpPort) && (httpsPort == null || accepts(httpsPort))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Squid did not listen on 127.0.0.1:" + httpPort + " within " + START_TIMEOUT + ":\n" + output());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String output() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("squid.out", "cache.log")) {
            Path file = directory.resolve(name);
            if (Files.exists(file)) {
                text.append("--- ").append(name).append('\n').append(Files.readString(file));
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
