package io.proxyguard.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proxyguard policy} through the real command line: what it prints, and how it refuses bad options. */
class PolicyCommandTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void printsTheParamsThenAPolicyAndBindingPerSeverity() {
        CommandRun run = CommandRun.of("policy", "--config", "examples/proxyguard.yaml");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<HasMetadata> objects = objects(run.out());
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                "ConfigMap/proxyguard-params", "ValidatingAdmissionPolicy/proxyguard-deny",
                "ValidatingAdmissionPolicyBinding/proxyguard-deny", "ValidatingAdmissionPolicy/proxyguard-warn",
                "ValidatingAdmissionPolicyBinding/proxyguard-warn");
        ConfigMap params = (ConfigMap) objects.get(0);
        assertThat(params.getMetadata().getNamespace()).isEqualTo("proxyguard-system");
        assertThat(params.getData()).containsEntry("proxyAddresses", "10.10.0.5:3128")
                .containsEntry("proxyHosts", "my-company-proxy.com").containsEntry("PG101", "deny").containsEntry("PG102", "warn");
        ValidatingAdmissionPolicyBinding deny = (ValidatingAdmissionPolicyBinding) objects.get(2);
        assertThat(deny.getSpec().getValidationActions()).containsExactly("Deny");
        assertThat(deny.getSpec().getParamRef().getParameterNotFoundAction()).isEqualTo("Deny");
        assertThat(((ValidatingAdmissionPolicyBinding) objects.get(4)).getSpec().getValidationActions()).containsExactly("Warn");
        ValidatingAdmissionPolicy policy = (ValidatingAdmissionPolicy) objects.get(1);
        assertThat(policy.getSpec().getValidations()).extracting(v -> v.getMessage().substring(0, 5))
                .containsExactly("PG101", "PG102", "PG103", "PG104", "PG105", "PG106", "PG108");
    }

    @Test
    void writesV1beta1AuditOnlyWithItsOwnNamesAsJson() {
        CommandRun run = CommandRun.of("policy", "--api-version", "v1beta1", "--actions", "audit", "--name", "pg",
                "-n", "security", "-o", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        KubernetesList list = SERIALIZATION.unmarshal(run.out(), KubernetesList.class);
        assertThat(list.getItems()).hasSize(5);
        assertThat(list.getItems().get(0).getMetadata().getName()).isEqualTo("pg-params");
        GenericKubernetesResource binding = (GenericKubernetesResource) list.getItems().get(2);
        assertThat(binding.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1beta1");
        assertThat(binding.get("spec", "validationActions").toString()).isEqualTo("[Audit]");
        assertThat(binding.get("spec", "paramRef", "namespace").toString()).isEqualTo("security");
        assertThat(((GenericKubernetesResource) list.getItems().get(4)).get("spec", "validationActions").toString())
                .isEqualTo("[Audit]");
    }

    @Test
    void refusesDenyWithWarnAsKubernetesWould() {
        CommandRun run = CommandRun.of("policy", "--actions", "deny,warn");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("deny and warn cannot be combined");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void refusesNamesKubernetesWouldRefuse() {
        CommandRun badName = CommandRun.of("policy", "--name", "Proxy Guard");
        CommandRun badNamespace = CommandRun.of("policy", "-n", "kube_system");

        assertThat(badName.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(badName.err()).contains("name 'Proxy Guard'");
        assertThat(badNamespace.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(badNamespace.err()).contains("namespace 'kube_system'");
    }

    @Test
    void refusesAnUnknownActionOrVersion() {
        assertThat(CommandRun.of("policy", "--actions", "block").exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(CommandRun.of("policy", "--api-version", "v2").exitCode()).isEqualTo(Main.EXIT_USAGE);
    }

    @Test
    void refusesAnInvalidConfigurationWithItsProblems(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "proxies: [{name: p, address: proxy.example.com, port: 3128}]\n");

        CommandRun run = CommandRun.of("policy", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("proxies[0].address");
        assertThat(run.out()).isEmpty();
    }

    private static List<HasMetadata> objects(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        return ((List<?>) parsed).stream().map(HasMetadata.class::cast).toList();
    }
}
