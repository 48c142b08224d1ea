package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.proxyguard.cluster.WatchedResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** RBAC: exactly what the pods need, by name wherever Kubernetes allows it, and nothing in the other modes. */
class RbacTest {

    private static final Helm HELM = Helm.installed();
    private static final String FULLNAME = "pg-proxyguard";

    @Test
    void grantsReadOnlyClusterViewInEveryMode() {
        for (String scenario : List.of("self-managed-values.yaml", "cert-manager-values.yaml", "provided-values.yaml")) {
            RenderedChart chart = HELM.render(Helm.scenario(scenario));

            assertThat(chart.get(ClusterRole.class, FULLNAME + "-cluster-view").getRules()).as(scenario)
                    .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs,
                            PolicyRule::getResourceNames)
                    .containsExactly(
                            tuple(List.of("networking.istio.io"), List.of("serviceentries", "sidecars"),
                                    List.of("get", "list", "watch"), List.of()),
                            tuple(List.of(""), List.of("services", "configmaps", "namespaces", "pods"),
                                    List.of("get", "list", "watch"), List.of()),
                            tuple(List.of("apps"), List.of("deployments", "statefulsets", "daemonsets", "replicasets"),
                                    List.of("get", "list", "watch"), List.of()),
                            tuple(List.of("batch"), List.of("jobs", "cronjobs"), List.of("get", "list", "watch"), List.of()));
            assertBoundToServiceAccount(chart.get(ClusterRoleBinding.class, FULLNAME + "-cluster-view").getSubjects(),
                    chart.get(ClusterRoleBinding.class, FULLNAME + "-cluster-view").getRoleRef(),
                    "ClusterRole", FULLNAME + "-cluster-view");
        }
    }

    @Test
    void theClusterViewRoleCoversEveryResourceTheWebhookWatches() {
        RenderedChart chart = HELM.render();
        List<PolicyRule> rules = chart.get(ClusterRole.class, FULLNAME + "-cluster-view").getRules();

        assertThat(WatchedResource.values()).allSatisfy(resource -> assertThat(rules).as(resource.apiVersion() + " " + resource.plural())
                .anySatisfy(rule -> {
                    assertThat(rule.getApiGroups()).contains(resource.group());
                    assertThat(rule.getResources()).contains(resource.plural());
                    assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
                }));
    }

    @Test
    void selfManagedModeMayWriteOnlyItsOwnSecretAndLeaseAndReadOnlyItsOwnDeployment() {
        RenderedChart chart = HELM.render(Helm.scenario("self-managed-values.yaml"));

        Role role = chart.get(Role.class, FULLNAME + "-certificates");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
        assertThat(role.getRules())
                .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs,
                        PolicyRule::getResourceNames)
                .containsExactly(
                        // create cannot be restricted by name: Kubernetes does not know the name at authorization.
                        tuple(List.of(""), List.of("secrets"), List.of("create"), List.of()),
                        tuple(List.of(""), List.of("secrets"), List.of("get", "list", "watch", "update", "patch"),
                                List.of(FULLNAME + "-tls")),
                        tuple(List.of("coordination.k8s.io"), List.of("leases"), List.of("create"), List.of()),
                        // patch: fabric8's LeaseLock renews with a JSON merge patch.
                        tuple(List.of("coordination.k8s.io"), List.of("leases"), List.of("get", "update", "patch"),
                                List.of(FULLNAME + "-leader")),
                        // get: the uid of its own Deployment, the owner of the Secret and the Lease.
                        tuple(List.of("apps"), List.of("deployments"), List.of("get"), List.of(FULLNAME)));
        RoleBinding binding = chart.get(RoleBinding.class, FULLNAME + "-certificates");
        assertBoundToServiceAccount(binding.getSubjects(), binding.getRoleRef(), "Role", FULLNAME + "-certificates");
    }

    @Test
    void selfManagedModeMayPatchOnlyItsOwnWebhookConfigurations() {
        RenderedChart chart = HELM.render(Helm.scenario("self-managed-values.yaml"));

        assertThat(chart.get(ClusterRole.class, FULLNAME + "-webhook-configurations").getRules())
                .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs,
                        PolicyRule::getResourceNames)
                .containsExactly(
                        tuple(List.of("admissionregistration.k8s.io"), List.of("mutatingwebhookconfigurations"),
                                List.of("get", "patch", "update"), List.of(FULLNAME)),
                        tuple(List.of("admissionregistration.k8s.io"), List.of("validatingwebhookconfigurations"),
                                List.of("get", "patch", "update"), List.of(FULLNAME)));
        ClusterRoleBinding binding = chart.get(ClusterRoleBinding.class, FULLNAME + "-webhook-configurations");
        assertBoundToServiceAccount(binding.getSubjects(), binding.getRoleRef(), "ClusterRole",
                FULLNAME + "-webhook-configurations");
    }

    @Test
    void grantsNoRightOnAWebhookConfigurationThatIsNotRendered() {
        RenderedChart noMutation = HELM.render("--set", "webhooks.mutateServiceEntries.enabled=false");
        assertThat(noMutation.get(ClusterRole.class, FULLNAME + "-webhook-configurations").getRules())
                .flatExtracting(PolicyRule::getResources).containsExactly("validatingwebhookconfigurations");

        RenderedChart allOff = HELM.render(Helm.scenario("webhooks-off-values.yaml"));
        assertThat(allOff.find(ClusterRole.class, FULLNAME + "-webhook-configurations")).isEmpty();
        assertThat(allOff.find(ClusterRoleBinding.class, FULLNAME + "-webhook-configurations")).isEmpty();
    }

    @Test
    void certManagerAndProvidedModesGetNoSecretLeaseOrWebhookRights() {
        for (String scenario : List.of("cert-manager-values.yaml", "provided-values.yaml")) {
            RenderedChart chart = HELM.render(Helm.scenario(scenario));

            // only the background audit's, which every mode has unless audit.interval is 0
            assertThat(chart.all(Role.class)).as(scenario).extracting(r -> r.getMetadata().getName()).containsExactly(FULLNAME + "-audit-lease");
            assertThat(chart.all(RoleBinding.class)).as(scenario).extracting(r -> r.getMetadata().getName())
                    .containsExactly(FULLNAME + "-audit-lease");
            assertThat(chart.all(ClusterRole.class)).as(scenario).extracting(r -> r.getMetadata().getName())
                    .containsExactly(FULLNAME + "-cluster-view", FULLNAME + "-audit-reports");
        }
    }

    @Test
    void theAuditMayWritePolicyReportsInPlaceAndOnlyItsOwnLease() {
        RenderedChart chart = HELM.render();

        assertThat(chart.get(ClusterRole.class, FULLNAME + "-audit-reports").getRules())
                .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs, PolicyRule::getResourceNames)
                // no get (reports are listed), no patch, no delete (a report with nothing left is emptied)
                .containsExactly(tuple(List.of("wgpolicyk8s.io"), List.of("policyreports"), List.of("list", "create", "update"), List.of()));
        ClusterRoleBinding reports = chart.get(ClusterRoleBinding.class, FULLNAME + "-audit-reports");
        assertBoundToServiceAccount(reports.getSubjects(), reports.getRoleRef(), "ClusterRole", FULLNAME + "-audit-reports");
        Role lease = chart.get(Role.class, FULLNAME + "-audit-lease");
        assertThat(lease.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
        assertThat(lease.getRules())
                .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs, PolicyRule::getResourceNames)
                .containsExactly(
                        tuple(List.of("coordination.k8s.io"), List.of("leases"), List.of("create"), List.of()),
                        tuple(List.of("coordination.k8s.io"), List.of("leases"), List.of("get", "update", "patch"), List.of(FULLNAME + "-audit")));
        RoleBinding binding = chart.get(RoleBinding.class, FULLNAME + "-audit-lease");
        assertBoundToServiceAccount(binding.getSubjects(), binding.getRoleRef(), "Role", FULLNAME + "-audit-lease");
    }

    @Test
    void grantsNoAuditRightWhenTheAuditIsOff() {
        RenderedChart chart = HELM.render("--set", "audit.interval=0");

        assertThat(chart.find(ClusterRole.class, FULLNAME + "-audit-reports")).isEmpty();
        assertThat(chart.find(ClusterRoleBinding.class, FULLNAME + "-audit-reports")).isEmpty();
        assertThat(chart.find(Role.class, FULLNAME + "-audit-lease")).isEmpty();
        assertThat(chart.find(RoleBinding.class, FULLNAME + "-audit-lease")).isEmpty();
    }

    @Test
    void neverGrantsWildcardsOrDeleteInAnyScenario() throws Exception {
        for (String scenario : ChartScenariosTest.scenarios()) {
            RenderedChart chart = HELM.render(Helm.scenario(scenario));
            Stream<PolicyRule> rules = Stream.concat(chart.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
                    chart.all(Role.class).stream().flatMap(r -> r.getRules().stream()));

            assertThat(rules.toList()).as(scenario).allSatisfy(rule -> {
                assertThat(rule.getVerbs()).doesNotContain("*", "delete", "deletecollection", "escalate", "bind", "impersonate");
                assertThat(rule.getResources()).doesNotContain("*");
                assertThat(rule.getApiGroups()).doesNotContain("*");
            });
        }
    }

    @Test
    void createsNoRbacWhenTold() {
        RenderedChart chart = HELM.render("--set", "rbac.create=false");

        assertThat(Stream.of(ClusterRole.class, ClusterRoleBinding.class, Role.class, RoleBinding.class)
                .flatMap(type -> chart.all(type).stream()).map(HasMetadata::getKind)).isEmpty();
    }

    private static void assertBoundToServiceAccount(List<Subject> subjects, RoleRef roleRef, String kind, String name) {
        assertThat(roleRef.getKind()).isEqualTo(kind);
        assertThat(roleRef.getName()).isEqualTo(name);
        assertThat(subjects).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(FULLNAME);
            assertThat(subject.getNamespace()).isEqualTo(Helm.NAMESPACE);
        });
    }
}
