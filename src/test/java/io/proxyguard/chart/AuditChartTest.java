package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The background audit in the chart: its interval reaches serve, and the PolicyReport CRDs only when asked for. */
class AuditChartTest {

    private static final Helm HELM = Helm.installed();

    private static List<String> args(RenderedChart chart) {
        return chart.deploymentPod().getContainers().get(0).getArgs();
    }

    private static List<HasMetadata> crds(RenderedChart chart) {
        return chart.objects().stream().filter(o -> o.getKind().equals("CustomResourceDefinition")).toList();
    }

    @Test
    void auditsEveryFiveMinutesUnderItsOwnLeaseByDefault() {
        RenderedChart chart = HELM.render();

        assertThat(args(chart)).containsSubsequence("--audit-interval", "5m", "--audit-lease", "pg-proxyguard-audit");
        assertThat(crds(chart)).isEmpty();
    }

    @Test
    void zeroTurnsTheAuditOff() {
        assertThat(args(HELM.render("--set", "audit.interval=0"))).containsSubsequence("--audit-interval", "0").doesNotContain("--audit-lease");
        assertThat(args(HELM.render("--set-string", "audit.interval=0s"))).doesNotContain("--audit-lease");
    }

    @Test
    void installsThePolicyReportCrdsAsKyvernoShipsThemWhenAskedAndKeepsThemOnUninstall() {
        List<HasMetadata> crds = crds(HELM.render("--set", "audit.policyReports.installCrds=true"));

        assertThat(crds).extracting(crd -> crd.getMetadata().getName())
                .containsExactlyInAnyOrder("policyreports.wgpolicyk8s.io", "clusterpolicyreports.wgpolicyk8s.io");
        assertThat(crds).allSatisfy(crd -> {
            assertThat(crd.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(RenderedChart.SERIALIZATION.convertValue(crd, GenericKubernetesResource.class).get("spec", "group").toString())
                    .isEqualTo("wgpolicyk8s.io");
        });
    }
}
