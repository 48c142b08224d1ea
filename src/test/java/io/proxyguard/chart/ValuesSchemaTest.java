package io.proxyguard.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * values.schema.json turns a typo or a wrong type into an install error that names the value, instead
 * of a chart that silently ignores it. Checked through both {@code helm template} and {@code helm lint --strict}.
 */
class ValuesSchemaTest {

    private static final Helm HELM = Helm.installed();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            replicaCount=two                                      | '/replicaCount': got string, want integer
            replicas=2                                            | additional properties 'replicas' not allowed
            webhooks.validateServiceEntries.failurPolicy=Fail     | additional properties 'failurPolicy' not allowed
            webhooks.validateServiceEntries.failurePolicy=Deny    | /webhooks/validateServiceEntries/failurePolicy
            webhooks.timeoutSeconds=31                            | /webhooks/timeoutSeconds
            webhooks.mutateServiceEntries.enabled=yes             | '/webhooks/mutateServiceEntries/enabled': got string, want boolean
            certificates.mode=vault                               | /certificates/mode
            config.proxyPorts={70000}                             | /config/proxyPorts/0
            config.rules.PG107=block                              | /config/rules/PG107
            config.rules.SEVERE=warn                              | '/config/rules': additional properties 'SEVERE' not allowed
            config.proxy=10.0.0.1                                 | additional properties 'proxy' not allowed
            config.proxies[0].name=corp                           | /config/proxies/0
            config.webPorts.tls={443}                             | '/config/webPorts': additional properties 'tls' not allowed
            config.clusterRanges={10.96.0.0/x}                    | /config/clusterRanges/0
            podAntiAffinity=always                                | /podAntiAffinity
            image.digest=latest                                   | /image/digest
            autoscaling.maxReplicas=0                             | /autoscaling/maxReplicas
            autoscaling.enable=true                               | additional properties 'enable' not allowed
            topologySpreadConstraints[0].whenUnsatisfiable=Maybe  | /topologySpreadConstraints/0/whenUnsatisfiable
            podDisruptionBudget.maxUnavailable=0                  | /podDisruptionBudget/maxUnavailable
            prometheusRule.webhookErrors.ratio=5                  | /prometheusRule/webhookErrors/ratio
            prometheusRule.certificateExpiry.for=10min            | /prometheusRule/certificateExpiry/for
            grafanaDashboard.label.team=sre                       | additional properties 'label' not allowed
            audit.dedicated.enable=false                          | '/audit/dedicated': additional properties 'enable' not allowed
            audit.dedicated.enabled=no                            | '/audit/dedicated/enabled': got string, want boolean
            audit.dedicated.resources.limit.memory=1Gi            | '/audit/dedicated/resources': additional properties 'limit' not allowed
            """)
    void rejectsWithAMessageNamingTheValue(String assignment, String expectedMessage) {
        Helm.HelmRun template = HELM.template(List.of("--set", assignment));
        Helm.HelmRun lint = HELM.lint(List.of("--set", assignment));

        assertThat(template.exitCode()).as("helm template --set %s", assignment).isNotZero();
        assertThat(template.stderr()).contains(expectedMessage);
        assertThat(lint.exitCode()).as("helm lint --strict --set %s", assignment).isNotZero();
        assertThat(lint.output()).contains(expectedMessage);
    }

    @Test
    void acceptsTheDefaultsAndAFullProxyDefinition() {
        Helm.HelmRun run = HELM.template(List.of("--set", "config.proxies[0].name=corp-proxy",
                "--set", "config.proxies[0].address=2001:db8::5", "--set", "config.proxies[0].port=3128",
                "--set", "config.proxies[0].hosts={my-company-proxy.com}", "--set", "config.rules.PG107=warn"));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }
}
