package io.proxyguard.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.config.ConfigException;
import io.proxyguard.policy.AdmissionPolicyGenerator;
import io.proxyguard.policy.PolicyApiVersion;
import io.proxyguard.policy.PolicySettings;
import io.proxyguard.policy.ValidationAction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code proxyguard policy}: ProxyGuard's stateless ServiceEntry rules as ValidatingAdmissionPolicies that the API
 * server evaluates itself (no webhook in the path), with their bindings and the parameters ConfigMap.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Print a ValidatingAdmissionPolicy per severity (deny, warn), its binding and the parameters ConfigMap, "
                + "generated from the same rules as the webhook (PG101-PG106, PG108). See docs/admission-policy.md.",
                "Exit codes: 0 printed, 2 usage or configuration error."})
final class PolicyCommand implements Callable<Integer> {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--api-version", paramLabel = "VERSION", defaultValue = "v1",
            description = "admissionregistration.k8s.io version: v1 (Kubernetes 1.30+) or v1beta1 (1.28, 1.29). Default: ${DEFAULT-VALUE}.")
    private PolicyApiVersion apiVersion;

    @Option(names = "--actions", paramLabel = "ACTION", split = ",", defaultValue = "deny",
            description = "validationActions for the rules at severity deny: deny, warn, audit (comma-separated or repeated; "
                    + "deny and warn exclude each other). The rules at severity warn get the same with deny turned into warn. "
                    + "Default: ${DEFAULT-VALUE}.")
    private List<ValidationAction> actions;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = PolicySettings.DEFAULT_NAME,
            description = "Name prefix of the objects: NAME-deny, NAME-warn, NAME-params. Default: ${DEFAULT-VALUE}.")
    private String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = PolicySettings.DEFAULT_NAMESPACE,
            description = "Namespace of the parameters ConfigMap (also left out of the bindings, with kube-system). Default: ${DEFAULT-VALUE}.")
    private String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
            description = "yaml (documents separated by ---) or json (a v1 List). Default: ${DEFAULT-VALUE}.")
    private Output output;

    @Option(names = "--chart-file", description = "Print instead the chart's generated part (charts/proxyguard/files/admission-policy.yaml).")
    private boolean chartFile;

    enum Output { YAML, JSON }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (chartFile) {
            out.print(AdmissionPolicyGenerator.chartFile());
            out.flush();
            return Main.EXIT_OK;
        }
        List<HasMetadata> objects;
        try {
            objects = AdmissionPolicyGenerator.objects(config.load(), new PolicySettings(name, namespace, apiVersion, actions));
        } catch (ConfigException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("proxyguard policy: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        out.print(output == Output.JSON
                ? SERIALIZATION.asJson(new KubernetesListBuilder().withItems(objects).build()) + "\n"
                : objects.stream().map(AdmissionPolicyGenerator::yaml).collect(Collectors.joining()));
        out.flush();
        return Main.EXIT_OK;
    }
}
