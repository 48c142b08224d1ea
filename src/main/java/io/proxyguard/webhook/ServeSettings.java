package io.proxyguard.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@code proxyguard serve} can be told, as one value: the CLI fills it from its options, tests
 * build it directly. A new option is a new component here and a new {@code @Option} in ServeCommand.
 *
 * @param configFile          the ProxyGuard configuration; defaults apply when absent
 * @param bindAddress         the address both ports listen on
 * @param port                the HTTPS port for {@code /mutate} and {@code /validate} (0: any free port)
 * @param metricsPort         the plain-HTTP port for {@code /healthz}, {@code /readyz}, {@code /metrics}
 * @param tlsCertificate      PEM serving certificate (leaf first); with {@code tlsKey}, or neither
 * @param tlsKey              PEM private key of the serving certificate
 * @param localCertificates   where a local CA and localhost certificate are kept when no certificate is given
 * @param reloadInterval      how often the certificate and configuration files are checked for changes
 * @param shutdownTimeout     how long in-flight reviews may take to finish after SIGTERM
 * @param idleTimeout         how long a webhook connection may stay silent (also mid-headers or mid-body)
 *                            before it is closed: a client that stops sending cannot hold a connection
 * @param maxConcurrentReviews requests handled at once on the webhook port; more wait in line, each as long as
 *                            it can still be answered in time (half its caller's timeout, {@link WaitBudget}),
 *                            then get 429 with {@code Retry-After}
 * @param clientCa            PEM CA certificates; when present the webhook port requires a client
 *                            certificate signed by one of them (the API server's), and refuses others
 * @param servesWebhook       whether the webhook port is opened at all; false for a process that only audits
 *                            ({@code serve --operation audit}): the metrics port alone, no certificate
 */
public record ServeSettings(
        Optional<Path> configFile,
        String bindAddress,
        int port,
        int metricsPort,
        Optional<Path> tlsCertificate,
        Optional<Path> tlsKey,
        Path localCertificates,
        Duration reloadInterval,
        Duration shutdownTimeout,
        Duration idleTimeout,
        int maxConcurrentReviews,
        Optional<Path> clientCa,
        boolean servesWebhook) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENT_REVIEWS = 64;

    /** The settings without the hardening options: defaults for the idle timeout and the cap, no client CA. */
    public ServeSettings(Optional<Path> configFile, String bindAddress, int port, int metricsPort,
                         Optional<Path> tlsCertificate, Optional<Path> tlsKey, Path localCertificates,
                         Duration reloadInterval, Duration shutdownTimeout) {
        this(configFile, bindAddress, port, metricsPort, tlsCertificate, tlsKey, localCertificates, reloadInterval,
                shutdownTimeout, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONCURRENT_REVIEWS, Optional.empty());
    }

    /** The settings of a process that serves the webhook (with the hardening options). */
    public ServeSettings(Optional<Path> configFile, String bindAddress, int port, int metricsPort,
                         Optional<Path> tlsCertificate, Optional<Path> tlsKey, Path localCertificates,
                         Duration reloadInterval, Duration shutdownTimeout, Duration idleTimeout,
                         int maxConcurrentReviews, Optional<Path> clientCa) {
        this(configFile, bindAddress, port, metricsPort, tlsCertificate, tlsKey, localCertificates, reloadInterval,
                shutdownTimeout, idleTimeout, maxConcurrentReviews, clientCa, true);
    }

    public ServeSettings {
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both or neither");
        }
        requirePort(port, "--port");
        requirePort(metricsPort, "--metrics-port");
        if (servesWebhook && port != 0 && port == metricsPort) {
            throw new IllegalArgumentException("--port and --metrics-port must differ, both are " + port);
        }
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException("--reload-interval must be positive");
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("--shutdown-timeout must not be negative");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("--idle-timeout must be positive");
        }
        if (maxConcurrentReviews < 1) {
            throw new IllegalArgumentException("--max-concurrent-reviews must be at least 1, got " + maxConcurrentReviews);
        }
        if (!servesWebhook && (tlsCertificate.isPresent() || clientCa.isPresent())) {
            throw new IllegalArgumentException((tlsCertificate.isPresent() ? "--tls-cert" : "--client-ca")
                    + " is for the webhook port, which a process without --operation webhook does not open");
        }
    }

    private static void requirePort(int port, String option) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + ": " + port + " is out of range 0..65535");
        }
    }
}
