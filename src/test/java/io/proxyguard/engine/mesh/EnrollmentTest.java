package io.proxyguard.engine.mesh;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.proxyguard.engine.Fixtures.namespace;
import static io.proxyguard.engine.mesh.MeshScenario.config;
import static io.proxyguard.engine.mesh.MeshScenario.pod;
import static io.proxyguard.engine.mesh.MeshScenario.podMeta;
import static io.proxyguard.engine.mesh.MeshScenario.view;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether a pod gets a sidecar, is ambient or stays outside the mesh: one row per rule of Istio's injector
 * (istio-discovery's mutatingwebhook.yaml selectors, pkg/kube/inject/inject.go {@code injectRequired}) and of
 * istio-cni's ambient enablement selectors, each a Namespace and a Pod as users write them.
 */
class EnrollmentTest {

    record Row(String name, String namespace, String pod, String mesh, DataPlane dataPlane, String revision, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, String namespace, String pod, DataPlane dataPlane, String revision, String reason) {
        return new Row(name, namespace, pod, "", dataPlane, revision, reason);
    }

    private static Row row(String name, String mesh, String namespace, String pod, DataPlane dataPlane, String revision, String reason) {
        return new Row(name, namespace, pod, mesh, dataPlane, revision, reason);
    }

    private static final String ENABLED = namespace("shop", "{istio-injection: enabled}");
    private static final String UNLABELLED = namespace("shop", "{team: web}");
    private static final String PLAIN_POD = pod("shop", "labels: {app: cart}", "");

    static Stream<Row> rows() {
        return Stream.of(
                row("istio-injection=enabled injects every pod", ENABLED, PLAIN_POD,
                        DataPlane.SIDECAR, "", "namespace shop is labelled istio-injection=enabled"),
                row("the pod label sidecar.istio.io/inject=false opts out", ENABLED,
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"false\"}", ""),
                        DataPlane.NONE, "", "its pod label sidecar.istio.io/inject is \"false\""),
                row("the deprecated annotation still opts out when there is no label", ENABLED,
                        pod("shop", "labels: {app: cart}\nannotations: {sidecar.istio.io/inject: \"false\"}", ""),
                        DataPlane.NONE, "", "its pod annotation sidecar.istio.io/inject is \"false\""),
                row("the pod label wins over the annotation: label true, annotation false", ENABLED,
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"true\"}\nannotations: {sidecar.istio.io/inject: \"false\"}", ""),
                        DataPlane.SIDECAR, "", "namespace shop is labelled istio-injection=enabled"),
                row("the pod label wins over the annotation: label false, annotation true", ENABLED,
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"false\"}\nannotations: {sidecar.istio.io/inject: \"true\"}", ""),
                        DataPlane.NONE, "", "its pod label sidecar.istio.io/inject is \"false\""),
                row("a value other than true or false means the default: injected", ENABLED,
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"yes\"}", ""),
                        DataPlane.SIDECAR, "", "namespace shop is labelled istio-injection=enabled"),
                row("\"False\" is not \"false\": values match exactly", ENABLED,
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"False\"}", ""),
                        DataPlane.SIDECAR, "", "namespace shop is labelled istio-injection=enabled"),
                row("istio-injection=disabled never injects, whatever the pod says", namespace("shop", "{istio-injection: disabled}"),
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"true\"}", ""),
                        DataPlane.NONE, "", "namespace shop is labelled istio-injection=disabled"),
                row("any istio-injection value but enabled matches no webhook", namespace("shop", "{istio-injection: \"true\"}"),
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"true\"}", ""),
                        DataPlane.NONE, "", "only \"enabled\" injects"),
                row("istio.io/rev on the namespace injects with that revision", namespace("shop", "{istio.io/rev: canary}"), PLAIN_POD,
                        DataPlane.SIDECAR, "canary", "namespace shop is labelled istio.io/rev=canary"),
                row("istio.io/rev=default is the default revision", namespace("shop", "{istio.io/rev: default}"), PLAIN_POD,
                        DataPlane.SIDECAR, "", "namespace shop is labelled istio.io/rev=default"),
                row("istio-injection wins over istio.io/rev on the namespace", namespace("shop", "{istio-injection: enabled, istio.io/rev: canary}"),
                        PLAIN_POD, DataPlane.SIDECAR, "", "namespace shop is labelled istio-injection=enabled"),
                row("a revision namespace still honours the pod's opt-out", namespace("shop", "{istio.io/rev: canary}"),
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"false\"}", ""),
                        DataPlane.NONE, "", "its pod label sidecar.istio.io/inject is \"false\""),
                row("an unlabelled namespace injects nothing by itself", UNLABELLED, PLAIN_POD,
                        DataPlane.NONE, "", "namespace shop has no injection label"),
                row("in an unlabelled namespace the pod label inject=true injects", UNLABELLED,
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"true\"}", ""),
                        DataPlane.SIDECAR, "", "its pod label sidecar.istio.io/inject is \"true\""),
                row("in an unlabelled namespace the annotation inject=true does not (no webhook selects it)", UNLABELLED,
                        pod("shop", "labels: {app: cart}\nannotations: {sidecar.istio.io/inject: \"true\"}", ""),
                        DataPlane.NONE, "", "the pod has no sidecar.istio.io/inject=true or istio.io/rev label"),
                row("in an unlabelled namespace the pod label istio.io/rev injects with that revision", UNLABELLED,
                        pod("shop", "labels: {app: cart, istio.io/rev: canary}", ""),
                        DataPlane.SIDECAR, "canary", "its pod label istio.io/rev is canary"),
                row("the pod's istio.io/rev with inject=false is not injected", UNLABELLED,
                        pod("shop", "labels: {app: cart, istio.io/rev: canary, sidecar.istio.io/inject: \"false\"}", ""),
                        DataPlane.NONE, "", "its pod label sidecar.istio.io/inject is \"false\""),
                row("hostNetwork pods are never injected", ENABLED, pod("shop", "labels: {app: cart}", "hostNetwork: true"),
                        DataPlane.NONE, "", "hostNetwork"),
                row("kube-system is never injected, even when labelled", namespace("kube-system", "{istio-injection: enabled}"),
                        pod("kube-system", "labels: {app: dns}", ""),
                        DataPlane.NONE, "", "the injector never injects namespace kube-system"),
                row("a pod already injected has its sidecar", UNLABELLED,
                        pod("shop", "labels: {app: cart, istio.io/rev: canary}\nannotations: {sidecar.istio.io/status: '{\"containers\":[\"istio-proxy\"]}'}", ""),
                        DataPlane.SIDECAR, "canary", "already injected"),
                row("a namespace not in view is taken as injected by default", null, PLAIN_POD,
                        DataPlane.SIDECAR, "", "namespace shop is not in view and is taken as injected"),
                row("mesh.unknownNamespacesInjected=false: a namespace not in view is unlabelled",
                        "mesh: {unknownNamespacesInjected: false}\n", null, PLAIN_POD,
                        DataPlane.NONE, "", "namespace shop is not in view"),
                row("mesh.unknownNamespacesInjected=false still honours the pod label inject=true",
                        "mesh: {unknownNamespacesInjected: false}\n", null, pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"true\"}", ""),
                        DataPlane.SIDECAR, "", "its pod label sidecar.istio.io/inject is \"true\""),
                row("enableNamespacesByDefault injects unlabelled namespaces", "mesh: {enableNamespacesByDefault: true}\n",
                        UNLABELLED, PLAIN_POD, DataPlane.SIDECAR, "", "enableNamespacesByDefault"),
                row("enableNamespacesByDefault leaves kube-public alone", "mesh: {enableNamespacesByDefault: true}\n",
                        namespace("kube-public", "{team: platform}"), pod("kube-public", "labels: {app: info}", ""),
                        DataPlane.NONE, "", "namespace kube-public has no injection label"),
                row("enableNamespacesByDefault needs the pod label to be absent", "mesh: {enableNamespacesByDefault: true}\n",
                        UNLABELLED, pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"yes\"}", ""),
                        DataPlane.NONE, "", "namespace shop has no injection label"),
                row("an ambient namespace makes its pods ambient", namespace("shop", "{istio.io/dataplane-mode: ambient}"), PLAIN_POD,
                        DataPlane.AMBIENT, "", "namespace shop is labelled istio.io/dataplane-mode=ambient"),
                row("a pod labelled dataplane-mode=none leaves the ambient mesh", namespace("shop", "{istio.io/dataplane-mode: ambient}"),
                        pod("shop", "labels: {app: cart, istio.io/dataplane-mode: none}", ""),
                        DataPlane.NONE, "", "namespace shop has no injection label"),
                row("a pod labelled ambient is ambient in any namespace", UNLABELLED,
                        pod("shop", "labels: {app: cart, istio.io/dataplane-mode: ambient}", ""),
                        DataPlane.AMBIENT, "", "its pod label istio.io/dataplane-mode is ambient"),
                row("the sidecar wins over ambient", namespace("shop", "{istio-injection: enabled, istio.io/dataplane-mode: ambient}"), PLAIN_POD,
                        DataPlane.SIDECAR, "", "namespace shop is labelled istio-injection=enabled"),
                row("a pod that opts out of injection in an ambient namespace is ambient",
                        namespace("shop", "{istio-injection: enabled, istio.io/dataplane-mode: ambient}"),
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"false\"}", ""),
                        DataPlane.AMBIENT, "", "namespace shop is labelled istio.io/dataplane-mode=ambient"),
                row("kube-system is never ambient", namespace("kube-system", "{istio.io/dataplane-mode: ambient}"),
                        pod("kube-system", "labels: {app: dns}", ""),
                        DataPlane.NONE, "", "kube-system has no injection label"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decidesAsIstiosInjectorAndIstioCni(Row row) {
        MeshIndex mesh = view(config(row.mesh()), row.namespace() == null ? "" : row.namespace()).mesh();

        Enrollment enrollment = mesh.enrollment(podMeta(row.pod()));

        assertThat(List.of(enrollment.dataPlane(), enrollment.revision())).as(enrollment.reason())
                .containsExactly(row.dataPlane(), row.revision());
        assertThat(enrollment.reason()).contains(row.reason());
    }
}
