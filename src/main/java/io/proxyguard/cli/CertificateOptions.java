package io.proxyguard.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.proxyguard.leader.ElectionTimings;
import io.proxyguard.certmanager.RenewalPolicy;
import io.proxyguard.certmanager.SelfManagedCertificates;
import io.proxyguard.certmanager.SelfManagedSettings;
import io.proxyguard.webhook.ServeHooks;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Where {@code serve}'s certificate comes from: files (--tls-cert, or a local one), or self-managed in a Secret. */
final class CertificateOptions {

    static final String NAMESPACE_ENV = "POD_NAMESPACE";
    static final String POD_NAME_ENV = "POD_NAME";
    static final String LEADER_METRIC = "proxyguard_leader";

    /** Who looks after the serving certificate. */
    enum Mode {
        FILES("files"), SELF_MANAGED("self-managed");

        private final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        @Override
        public String toString() {
            return flag;
        }
    }

    /** Accepts the modes as the chart spells them. */
    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            for (Mode mode : Mode.values()) {
                if (mode.flag.equals(value)) {
                    return mode;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not files or self-managed");
        }
    }

    @Option(names = "--certificates", paramLabel = "MODE", defaultValue = "files", converter = ModeConverter.class,
            description = "files: --tls-cert/--tls-key, or a local certificate; self-managed: a CA and certificate the "
                    + "replicas keep in --cert-secret and renew themselves, patching the webhooks' caBundle (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--cert-secret", paramLabel = "NAME", description = "self-managed: the Secret that holds the CA and the serving certificate.")
    String secret;

    @Option(names = "--service", paramLabel = "NAME", description = "self-managed: the webhook's Service; the certificate carries its DNS names.")
    String service;

    @Option(names = "--mutating-webhook-config", paramLabel = "NAME", description = "self-managed: MutatingWebhookConfiguration whose caBundle is kept.")
    String mutating;

    @Option(names = "--validating-webhook-config", paramLabel = "NAME", description = "self-managed: ValidatingWebhookConfiguration whose caBundle is kept.")
    String validating;

    @Option(names = "--leader-lease", paramLabel = "NAME", description = "self-managed: the Lease the replicas elect the one that writes with.")
    String lease;

    @Option(names = "--namespace", paramLabel = "NAMESPACE",
            description = "self-managed: namespace of the Secret, Lease and Service (default: $" + NAMESPACE_ENV + ").")
    String namespace;

    /**
     * The settings of self-managed mode, or empty in files mode; throws IllegalArgumentException naming what is wrong.
     *
     * @param ownerDeployment the Deployment made owner of the Secret and the Lease ({@code --owner-deployment})
     */
    Optional<SelfManagedSettings> settings(boolean tlsFilesGiven, Optional<String> ownerDeployment) {
        if (mode != Mode.SELF_MANAGED) {
            return Optional.empty();
        }
        if (tlsFilesGiven) {
            throw new IllegalArgumentException("--tls-cert and --tls-key cannot be used with --certificates self-managed");
        }
        String ns = namespace != null ? namespace : System.getenv(NAMESPACE_ENV);
        if (ns == null || ns.isBlank()) {
            throw new IllegalArgumentException("--certificates self-managed needs --namespace or $" + NAMESPACE_ENV);
        }
        return Optional.of(new SelfManagedSettings(ns, secret, service, Optional.ofNullable(mutating), Optional.ofNullable(validating),
                lease, ownerDeployment, identity(), RenewalPolicy.DEFAULT, ElectionTimings.DEFAULT, SelfManagedSettings.DEFAULT_CHECK_INTERVAL));
    }

    /**
     * In self-managed mode, the hooks that hand the Secret's certificate to the webhook, and the gauge
     * {@code proxyguard_leader{role="certificates"}} (1 while this replica holds the Lease); none otherwise.
     */
    ServeHooks hooks(Optional<SelfManagedSettings> settings, Path kubeconfig, PrometheusRegistry registry) throws IOException {
        if (settings.isEmpty()) {
            return ServeHooks.none();
        }
        KubernetesClient client = ClusterOptions.client(kubeconfig);
        SelfManagedCertificates certificates = SelfManagedCertificates.start(client, settings.get(), Clock.systemUTC());
        GaugeWithCallback.builder().name(LEADER_METRIC)
                .help("1 while this replica holds the Lease of a role (certificates: writes the Secret and caBundle), else 0")
                .labelNames("role")
                .callback(callback -> callback.call(certificates.isLeader() ? 1 : 0, "certificates"))
                .register(registry);
        // Close order: give up the Lease first, then the client it needs for that.
        return new ServeHooks(ServeHooks.none().view(), Map.of(), List.of(), List.of(certificates, client), Optional.of(certificates.feed()));
    }

    /** The pod's name (or this host's) and a random suffix, so two processes never share an identity. */
    static String identity() {
        String name = System.getenv(POD_NAME_ENV);
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "proxyguard";
            }
        }
        return name + "_" + UUID.randomUUID().toString().substring(0, 8);
    }
}
