package io.proxyguard.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CRD check the mesh tests run their fixtures through must be able to fail. */
class CrdSchemaTest {

    private static final String SIDECAR = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: shop}
            spec:
            """;

    @Test
    void acceptsTheGuidesEntryAndATypicalSidecar() {
        assertThat(CrdSchema.accepted(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()))).isNotNull();
        assertThat(CrdSchema.accepted(Fixtures.object(SIDECAR + """
                  workloadSelector: {labels: {app: cart}}
                  egress:
                  - port: {number: 3128, protocol: TCP, name: tcp}
                    hosts: [./*, istio-system/*]
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                """))).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a misspelt field               | egres: [{hosts: [./*]}]                        | spec.egres: unknown field
            egress without hosts           | 'egress: [{port: {number: 3128}}]'             | spec.egress[0].hosts: required
            a mode the enum does not know  | 'outboundTrafficPolicy: {mode: registry_only}' | spec.outboundTrafficPolicy.mode
            a host that is not a string    | 'egress: [{hosts: [1]}]'                       | spec.egress[0].hosts[0]
            """)
    void rejectsWhatTheApiServerRejects(String name, String spec, String problem) {
        assertThatThrownBy(() -> CrdSchema.accepted(Fixtures.object(SIDECAR + "  " + spec + "\n")))
                .isInstanceOf(AssertionError.class).hasMessageContaining(problem);
    }

    @Test
    void rejectsAServiceEntryPortWithoutName() {
        assertThatThrownBy(() -> CrdSchema.accepted(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec().replace("  name: tcp\n", ""))))
                .hasMessageContaining("spec.ports[0].name: required");
    }
}
