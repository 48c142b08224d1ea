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

/**
 * RBAC: exactly what the pods need, by name wherever Kubernetes allows it, nothing in the other modes, and each
 * right bound only to the ServiceAccount whose pods use it (the webhook's or the dedicated audit's).
 */
class RbacTest {

    private static final Helm HELM = Helm.installed();
    private static final String FULLNAME = "pg-proxyguard";
    private static final String AUDIT_ACCOUNT = FULLNAME + "-audit";

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
            ClusterRoleBinding binding = chart.get(ClusterRoleBinding.class, FULLNAME + "-cluster-view");
            // both pods judge against the cluster view: the webhook's reviews and the dedicated audit
            assertBoundToServiceAccounts(binding.getSubjects(), binding.getRoleRef(), "ClusterRole", FULLNAME + "-cluster-view",
                    FULLNAME, AUDIT_ACCOUNT);
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
        assertBoundToServiceAccounts(reports.getSubjects(), reports.getRoleRef(), "ClusterRole", FULLNAME + "-audit-reports", AUDIT_ACCOUNT);
        Role lease = chart.get(Role.class, FULLNAME + "-audit-lease");
        assertThat(lease.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
        assertThat(lease.getRules())
                .extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs, PolicyRule::getResourceNames)
                .containsExactly(
                        tuple(List.of("coordination.k8s.io"), List.of("leases"), List.of("create"), List.of()),
                        tuple(List.of("coordination.k8s.io"), List.of("leases"), List.of("get", "update", "patch"), List.of(FULLNAME + "-audit")),
                        // the uid of the Deployment that runs the audit, made owner of the Lease
                        tuple(List.of("apps"), List.of("deployments"), List.of("get"), List.of(FULLNAME + "-audit")));
        RoleBinding binding = chart.get(RoleBinding.class, FULLNAME + "-audit-lease");
        assertBoundToServiceAccounts(binding.getSubjects(), binding.getRoleRef(), "Role", FULLNAME + "-audit-lease", AUDIT_ACCOUNT);
        assertThat(HELM.render("--set", "audit.dedicated.enabled=false").get(Role.class, FULLNAME + "-audit-lease").getRules())
                .as("the webhook's Deployment when the webhook pods audit").extracting(PolicyRule::getResourceNames).contains(List.of(FULLNAME));
    }

    @Test
    void eachServiceAccountIsBoundOnlyTheRolesItsPodsUse() {
        RenderedChart chart = HELM.render(Helm.scenario("self-managed-values.yaml"));

        assertThat(rolesBoundTo(chart, FULLNAME)).containsExactlyInAnyOrder("ClusterRole/" + FULLNAME + "-cluster-view",
                "Role/" + FULLNAME + "-certificates", "ClusterRole/" + FULLNAME + "-webhook-configurations");
        assertThat(rolesBoundTo(chart, AUDIT_ACCOUNT)).containsExactlyInAnyOrder("ClusterRole/" + FULLNAME + "-cluster-view",
                "ClusterRole/" + FULLNAME + "-audit-reports", "Role/" + FULLNAME + "-audit-lease");
    }

    @Test
    void theWebhookServiceAccountHasNoPolicyReportOrAuditLeaseRightWhenTheAuditHasItsOwnDeployment() {
        for (String scenario : List.of("self-managed-values.yaml", "cert-manager-values.yaml", "provided-values.yaml")) {
            List<PolicyRule> rules = rulesBoundTo(HELM.render(Helm.scenario(scenario)), FULLNAME);

            assertThat(rules).as(scenario).isNotEmpty().allSatisfy(rule -> {
                assertThat(rule.getApiGroups()).doesNotContain("wgpolicyk8s.io");
                assertThat(rule.getResourceNames()).doesNotContain(FULLNAME + "-audit");
            });
        }
    }

    @Test
    void withoutADedicatedAuditTheWebhookServiceAccountHoldsTheAuditsRights() {
        RenderedChart chart = HELM.render("--set", "audit.dedicated.enabled=false");

        assertThat(rolesBoundTo(chart, FULLNAME)).containsExactlyInAnyOrder("ClusterRole/" + FULLNAME + "-cluster-view",
                "Role/" + FULLNAME + "-certificates", "ClusterRole/" + FULLNAME + "-webhook-configurations",
                "ClusterRole/" + FULLNAME + "-audit-reports", "Role/" + FULLNAME + "-audit-lease");
        assertThat(rolesBoundTo(chart, AUDIT_ACCOUNT)).isEmpty();
        ClusterRoleBinding view = chart.get(ClusterRoleBinding.class, FULLNAME + "-cluster-view");
        assertBoundToServiceAccounts(view.getSubjects(), view.getRoleRef(), "ClusterRole", FULLNAME + "-cluster-view", FULLNAME);
    }

    @Test
    void aGivenServiceAccountIsBoundEveryRoleOnce() {
        RenderedChart chart = HELM.render("--set", "serviceAccount.create=false", "--set", "serviceAccount.name=mine");

        assertThat(Stream.concat(chart.all(ClusterRoleBinding.class).stream().map(ClusterRoleBinding::getSubjects),
                chart.all(RoleBinding.class).stream().map(RoleBinding::getSubjects)))
                .hasSize(5)
                .allSatisfy(subjects -> assertThat(subjects).extracting(Subject::getName).containsExactly("mine"));
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
        assertBoundToServiceAccounts(subjects, roleRef, kind, name, FULLNAME);
    }

    private static void assertBoundToServiceAccounts(List<Subject> subjects, RoleRef roleRef, String kind, String name,
            String... accounts) {
        assertThat(roleRef.getKind()).isEqualTo(kind);
        assertThat(roleRef.getName()).isEqualTo(name);
        assertThat(subjects).allSatisfy(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getNamespace()).isEqualTo(Helm.NAMESPACE);
        });
        assertThat(subjects).extracting(Subject::getName).containsExactly(accounts);
    }

    /** {@code Kind/name} of every role bound to this ServiceAccount of the release namespace. */
    private static List<String> rolesBoundTo(RenderedChart chart, String account) {
        return Stream.concat(
                chart.all(ClusterRoleBinding.class).stream().filter(b -> binds(b.getSubjects(), account)).map(ClusterRoleBinding::getRoleRef),
                chart.all(RoleBinding.class).stream().filter(b -> binds(b.getSubjects(), account)).map(RoleBinding::getRoleRef))
                .map(ref -> ref.getKind() + "/" + ref.getName()).toList();
    }

    /** Every rule this ServiceAccount of the release namespace is granted. */
    private static List<PolicyRule> rulesBoundTo(RenderedChart chart, String account) {
        return rolesBoundTo(chart, account).stream().flatMap(role -> {
            String name = role.substring(role.indexOf('/') + 1);
            return role.startsWith("ClusterRole/") ? chart.get(ClusterRole.class, name).getRules().stream()
                    : chart.get(Role.class, name).getRules().stream();
        }).toList();
    }

    private static boolean binds(List<Subject> subjects, String account) {
        return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(account)
                && Helm.NAMESPACE.equals(s.getNamespace()));
    }
}
