package io.proxyguard.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.proxyguard.cluster.ClusterReader;
import io.proxyguard.config.ConfigException;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.manifest.InputResult;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.offline.OfflineValidator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code proxyguard audit}: the findings for every object already in a cluster. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Judge the ServiceEntries and workloads already in a cluster (read-only).",
                "Same formats and exit codes as validate."})
final class AuditCommand implements Callable<Integer> {

    static final String SOURCE = "cluster";

    @Spec
    private CommandSpec spec;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig to use (default: in-cluster, then ~/.kube/config).")
    private Path kubeconfig;

    @ArgGroup(exclusive = true)
    private Scope scope = new Scope();

    static final class Scope {
        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only this namespace.")
        String namespace;

        @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace (the default).")
        boolean all;
    }

    @Mixin
    private ConfigOption config;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig()).build()) {
            PolicyEngine engine = new PolicyEngine(config.load());
            List<ManifestDocument> documents = new ClusterReader(client).list(Optional.ofNullable(scope.namespace), engine.config().mesh()).stream()
                    .map(object -> new ManifestDocument(SOURCE, 0, object.json()))
                    .toList();
            return report.print(new OfflineValidator(engine).validate(List.of(InputResult.read(SOURCE, documents))).report(),
                    spec.commandLine().getOut());
        } catch (ConfigException | IOException | IllegalStateException e) {
            spec.commandLine().getErr().println("proxyguard: " + e.getMessage());
            return Main.EXIT_USAGE;
        } catch (KubernetesClientException e) {
            spec.commandLine().getErr().println("proxyguard: cannot read the cluster: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    private Config clientConfig() throws IOException {
        if (kubeconfig == null) {
            return Config.autoConfigure(null);
        }
        return Config.fromKubeconfig(Files.readString(kubeconfig));
    }
}
