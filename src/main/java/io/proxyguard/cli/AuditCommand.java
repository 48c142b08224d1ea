package io.proxyguard.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.proxyguard.cluster.ClusterReader;
import io.proxyguard.config.ConfigException;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.audit.AuditResult;
import io.proxyguard.audit.AuditRun;
import io.proxyguard.audit.PolicyReport;
import io.proxyguard.audit.PolicyReports;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import io.proxyguard.manifest.SafeYaml;
import io.proxyguard.report.InputError;
import io.proxyguard.report.Located;
import io.proxyguard.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code proxyguard audit}: the findings for every object already in a cluster. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Judge the ServiceEntries and workloads already in a cluster (read-only).",
                "Same formats and exit codes as validate, and -o policyreport: the PolicyReports serve's background audit writes.",
                "Lists in pages of 500 and keeps only what the rules read, so memory follows the findings, not the cluster."})
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
            ClusterReader reader = new ClusterReader(client);
            Optional<String> namespace = Optional.ofNullable(scope.namespace);
            List<KubeObject> viewObjects = reader.listForView(namespace, engine.config().mesh());
            ClusterView view = IndexedClusterView.of(viewObjects, engine.detector());
            AuditResult result = AuditRun.judge(engine, view, pages -> reader.forEachCheckedPage(namespace, pages));
            ValidationReport validation = validationReport(result, viewObjects.size());
            if (!report.wantsPolicyReports()) {
                return report.print(validation, spec.commandLine().getOut());
            }
            PrintWriter out = spec.commandLine().getOut();
            for (PolicyReport policyReport : PolicyReports.of(result, Instant.now())) {
                out.print(SafeYaml.write(client.getKubernetesSerialization().convertValue(policyReport, JsonNode.class)));
            }
            out.flush();
            return report.exitCode(validation);
        } catch (ConfigException | IOException | IllegalStateException e) {
            spec.commandLine().getErr().println("proxyguard: " + e.getMessage());
            return Main.EXIT_USAGE;
        } catch (KubernetesClientException e) {
            spec.commandLine().getErr().println("proxyguard: cannot read the cluster: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }

    /** The audit as validate reports it: every object read counts, an object that could not be read is an input error. */
    private static ValidationReport validationReport(AuditResult result, int objectsRead) {
        List<Located> findings = result.findings().map(finding -> new Located(finding, SOURCE, 0)).toList();
        List<InputError> errors = result.verdicts().stream().filter(verdict -> verdict.error().isPresent())
                .map(verdict -> new InputError(SOURCE, 0, verdict.ref().display() + ": " + verdict.error().get())).toList();
        return new ValidationReport(findings, errors, List.of(), objectsRead, 0);
    }

    private Config clientConfig() throws IOException {
        if (kubeconfig == null) {
            return Config.autoConfigure(null);
        }
        return Config.fromKubeconfig(Files.readString(kubeconfig));
    }
}
