package io.proxyguard.probe;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe tests' little world, started once per test run and shared by every class that asks for it
 * (a JUnit 5 extension: declare {@code @ExtendWith(ProbeLab.Extension.class)} and take a {@code ProbeLab}
 * parameter). It holds real Squids and local "external services" on loopback:
 * <ul>
 *   <li>{@link #guideSquid}: the guide's squid.conf as it is (CONNECT only to 443);</li>
 *   <li>{@link #allowingSquid}: the same rules with the local services' ports added to SSL_ports, and an
 *       https_port (certificate for 127.0.0.1 from the test CA) for {@code --tls};</li>
 *   <li>{@link #authSquid}: like allowingSquid, but every request needs Basic credentials (basic_ncsa_auth);</li>
 *   <li>TLS services that {@code external.test} (127.0.0.1 in Squid's hosts file) answers on: a good one, one
 *       whose certificate names other.test, one from an untrusted CA, an expired one, and a silent one.</li>
 * </ul>
 */
final class ProbeLab implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "s3cret-Pa55word";
    static final String TARGET_HOST = "external.test";

    final Path directory;
    final Path caFile;
    final TestPki.Authority ca;
    final LoopbackServer goodService;
    final LoopbackServer wrongNameService;
    final LoopbackServer untrustedService;
    final LoopbackServer expiredService;
    final LoopbackServer silentService;
    /** Allowed in SSL_ports, but nothing listens: Squid cannot connect. */
    final int closedPort;
    final SquidServer guideSquid;
    final SquidServer allowingSquid;
    final SquidServer authSquid;
    private final List<AutoCloseable> resources = new ArrayList<>();

    private ProbeLab() throws IOException, InterruptedException {
        directory = Files.createTempDirectory("proxyguard-probe-lab-");
        try {
            ca = TestPki.newAuthority("ProxyGuard Test CA");
            caFile = directory.resolve("ca.pem");
            ca.writePem(caFile);
            TestPki.Authority foreignCa = TestPki.newAuthority("Unknown CA");
            goodService = track(LoopbackServer.tls(ca.issueFor(TARGET_HOST)));
            wrongNameService = track(LoopbackServer.tls(ca.issueFor("other.test")));
            untrustedService = track(LoopbackServer.tls(foreignCa.issueFor(TARGET_HOST)));
            expiredService = track(LoopbackServer.tls(ca.issueExpired(TARGET_HOST)));
            silentService = track(LoopbackServer.silent());
            closedPort = LoopbackServer.freePort();
            List<Integer> ports = List.of(goodService.port(), wrongNameService.port(), untrustedService.port(),
                    expiredService.port(), silentService.port(), closedPort);
            guideSquid = track(SquidServer.start(SquidServer.Config.guide()));
            allowingSquid = track(SquidServer.start(SquidServer.Config.guide().allowingPorts(ports)
                    .withHttpsPort(ca.issueForIp("127.0.0.1"))));
            authSquid = track(SquidServer.start(SquidServer.Config.guide().allowingPorts(ports)
                    .requiringAuth(new SquidServer.BasicAuth(USER, PASSWORD))));
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly(e);
            throw e;
        }
    }

    private void closeQuietly(Exception failure) {
        try {
            close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** {@code external.test:PORT} of a local service. */
    static HostPort target(LoopbackServer service) {
        return new HostPort(TARGET_HOST, service.port());
    }

    /** Settings for one target that trust the test CA for targets, 5 s a step. */
    ProbeSettings settings(HostPort target) {
        return ProbeSettings.defaults().withTargets(List.of(target)).withTargetTrust(TlsTrust.fromPemFile(caFile))
                .withTimeout(java.time.Duration.ofSeconds(5));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Hands the one shared lab to any test that declares a {@code ProbeLab} parameter; closes it when the run ends. */
    static final class Extension implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ProbeLab.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ProbeLab.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ProbeLab.class, key -> startLab(), ProbeLab.class);
        }

        /** JUnit closes an AutoCloseable held in the root store when the whole run ends. */
        private static ProbeLab startLab() {
            try {
                return new ProbeLab();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the probe lab: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the probe lab", e);
            }
        }
    }
}
