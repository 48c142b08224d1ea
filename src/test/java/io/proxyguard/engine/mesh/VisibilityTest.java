package io.proxyguard.engine.mesh;

import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.ServicePortUse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static io.proxyguard.engine.Fixtures.meshConfigMap;
import static io.proxyguard.engine.Fixtures.namespace;
import static io.proxyguard.engine.Fixtures.proxyEntry;
import static io.proxyguard.engine.Fixtures.sidecar;
import static io.proxyguard.engine.mesh.MeshScenario.PROXY_IP;
import static io.proxyguard.engine.mesh.MeshScenario.PROXY_PORT;
import static io.proxyguard.engine.mesh.MeshScenario.config;
import static io.proxyguard.engine.mesh.MeshScenario.describe;
import static io.proxyguard.engine.mesh.MeshScenario.documents;
import static io.proxyguard.engine.mesh.MeshScenario.pod;
import static io.proxyguard.engine.mesh.MeshScenario.podMeta;
import static io.proxyguard.engine.mesh.MeshScenario.view;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a pod's sidecar sees of the proxy entries covering its proxy (10.10.0.5:3128), and the outbound policy in
 * force for it: one row per fact of REFERENCE.md's "What a workload's sidecar actually sees", each a set of
 * manifests and a pod, checked against what istiod does (pilot/pkg/model/push_context.go, sidecar.go).
 */
class VisibilityTest {

    record Row(String name, String mesh, String objects, String pod, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, String objects, String pod, String expected) {
        return new Row(name, "", objects, pod, expected);
    }

    private static Row row(String name, String mesh, String objects, String pod, String expected) {
        return new Row(name, mesh, objects, pod, expected);
    }

    private static final String PROXY = proxyEntry("egress", "proxy", "");
    private static final String CART = pod("shop", "labels: {app: cart}", "");

    private static String proxy(String extraSpec) {
        return proxyEntry("egress", "proxy", extraSpec);
    }

    /** The guide's entry for a second proxy, 10.10.0.6, under the same placeholder host. */
    private static String secondProxy(String namespace, String name, String created, String extraSpec) {
        return proxyEntry(namespace, name, extraSpec).replace("10.10.0.5/32", "10.10.0.6/32")
                .replace("  namespace: " + namespace + "\n", "  namespace: " + namespace + "\n  creationTimestamp: \"" + created + "\"\n");
    }

    private static String created(String entry, String timestamp) {
        return entry.replace("metadata:\n", "metadata:\n  creationTimestamp: \"" + timestamp + "\"\n");
    }

    static Stream<Row> entries() {
        return Stream.of(
                // exportTo
                row("an entry without exportTo is seen everywhere (defaultServiceExportTo [*])", PROXY, CART, "sees egress/proxy"),
                row("exportTo [.] hides the entry from other namespaces", proxy("exportTo: [\".\"]"), CART,
                        "hides egress/proxy: exportTo [\".\"] of egress/proxy"),
                row("exportTo [.] shows it to its own namespace", proxy("exportTo: [\".\"]"), pod("egress", "labels: {app: relay}", ""),
                        "sees egress/proxy"),
                row("exportTo [shop] shows it to shop", proxy("exportTo: [shop]"), CART, "sees egress/proxy"),
                row("exportTo [other-ns] hides it from its own namespace", proxy("exportTo: [shop]"), pod("egress", "labels: {app: relay}", ""),
                        "hides egress/proxy: exportTo [\"shop\"] of egress/proxy"),
                row("exportTo [~] hides it from everyone", proxy("exportTo: [\"~\"]"), pod("egress", "labels: {app: relay}", ""),
                        "hides egress/proxy: exportTo [\"~\"] of egress/proxy"),
                row("exportTo [*] shows it everywhere", proxy("exportTo: [\"*\"]"), CART, "sees egress/proxy"),
                row("mesh.defaultServiceExportTo applies to entries without exportTo", "mesh: {defaultServiceExportTo: [\".\"]}\n", PROXY, CART,
                        "hides egress/proxy: defaultServiceExportTo [\".\"] of the mesh config hides egress/proxy"),
                row("so does the mesh ConfigMap's", "", documents(PROXY, meshConfigMap("istio", "defaultServiceExportTo: [\".\"]")), CART,
                        "hides egress/proxy: defaultServiceExportTo [\".\"] of the mesh config hides egress/proxy"),
                row("an entry's own exportTo wins over the mesh default", "mesh: {defaultServiceExportTo: [\".\"]}\n",
                        proxy("exportTo: [\"*\"]"), CART, "sees egress/proxy"),
                // Sidecar egress hosts
                row("a Sidecar without egress imports */*", documents(PROXY, sidecar("shop", "default", "outboundTrafficPolicy: {mode: REGISTRY_ONLY}")),
                        CART, "sees egress/proxy"),
                row("a Sidecar importing ./* and istio-system/* hides another namespace's entry",
                        documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [./*, istio-system/*]")), CART,
                        "hides egress/proxy: Sidecar shop/default imports only ./*, istio-system/*"),
                row("egress/* imports it", documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [./*, egress/*]")), CART,
                        "sees egress/proxy"),
                row("*/my-company-proxy.com imports it", documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [\"*/my-company-proxy.com\"]")),
                        CART, "sees egress/proxy"),
                row("egress/my-company-proxy.com imports it", documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [egress/my-company-proxy.com]")),
                        CART, "sees egress/proxy"),
                row("another namespace's name for the host does not", documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [shop/my-company-proxy.com]")),
                        CART, "hides egress/proxy: Sidecar shop/default imports only shop/my-company-proxy.com"),
                row("./* imports an entry of the pod's own namespace", documents(proxyEntry("shop", "proxy", ""),
                        sidecar("shop", "default", "egress:\n- hosts: [./*]")), CART, "sees shop/proxy"),
                row("a wildcard entry host is not imported by an exact Sidecar host",
                        documents(proxy("").replace("[my-company-proxy.com]", "[\"*.proxy.corp.example\"]"),
                                sidecar("shop", "default", "egress:\n- hosts: [egress/gw.proxy.corp.example]")), CART,
                        "hides egress/proxy: Sidecar shop/default imports only egress/gw.proxy.corp.example"),
                row("a wildcard Sidecar host imports the exact hosts under it",
                        documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [\"egress/*.com\"]")), CART, "sees egress/proxy"),
                row("a wildcard Sidecar host imports a narrower wildcard entry host",
                        documents(proxy("").replace("[my-company-proxy.com]", "[\"*.proxy.corp.example\"]"),
                                sidecar("shop", "default", "egress:\n- hosts: [\"egress/*.corp.example\"]")), CART, "sees egress/proxy"),
                row("but not a wider one",
                        documents(proxy("").replace("[my-company-proxy.com]", "[\"*.corp.example\"]"),
                                sidecar("shop", "default", "egress:\n- hosts: [\"egress/*.proxy.corp.example\"]")), CART,
                        "hides egress/proxy: Sidecar shop/default imports only egress/*.proxy.corp.example"),
                row("hosts are compared as written", documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [egress/My-Company-Proxy.com]")),
                        CART, "hides egress/proxy: Sidecar shop/default imports only egress/My-Company-Proxy.com"),
                row("a host without namespace/ is skipped by istiod", documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [my-company-proxy.com]")),
                        CART, "hides egress/proxy: Sidecar shop/default imports only my-company-proxy.com (ignored: not namespace/dnsName)"),
                row("~ excludes a namespace from */*", documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [\"*/*\", \"~egress/*\"]")),
                        CART, "hides egress/proxy: Sidecar shop/default imports only */*, ~egress/*"),
                row("a listener limited to another port does not carry the proxy's port",
                        documents(PROXY, sidecar("shop", "default", """
                                egress:
                                - port: {number: 8080, protocol: HTTP, name: http}
                                  hosts: [egress/*]
                                - hosts: [./*]""")), CART,
                        "hides egress/proxy: Sidecar shop/default imports only egress/* (port 8080), ./*"),
                row("a listener limited to the proxy's port carries it",
                        documents(PROXY, sidecar("shop", "default", """
                                egress:
                                - port: {number: 3128, protocol: TCP, name: tcp-proxy}
                                  hosts: [egress/*]
                                - hosts: [./*]""")), CART, "sees egress/proxy"),
                // which Sidecar applies
                row("a Sidecar selecting the pod wins over the namespace default: Sidecars never merge",
                        documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [\"*/*\"]"),
                                sidecar("shop", "cart", "workloadSelector: {labels: {app: cart}}\negress:\n- hosts: [./*]")), CART,
                        "hides egress/proxy: Sidecar shop/cart imports only ./*"),
                row("a Sidecar selecting other pods leaves the namespace default",
                        documents(PROXY, sidecar("shop", "default", "egress:\n- hosts: [\"*/*\"]"),
                                sidecar("shop", "billing", "workloadSelector: {labels: {app: billing}}\negress:\n- hosts: [./*]")), CART,
                        "sees egress/proxy"),
                row("of two namespace defaults the oldest applies",
                        documents(PROXY, created(sidecar("shop", "newer", "egress:\n- hosts: [\"*/*\"]"), "2026-02-01T00:00:00Z"),
                                created(sidecar("shop", "older", "egress:\n- hosts: [./*]"), "2026-01-01T00:00:00Z")), CART,
                        "hides egress/proxy: Sidecar shop/older imports only ./*"),
                row("the root namespace's Sidecar applies where a namespace has none",
                        documents(PROXY, sidecar("istio-system", "default", "egress:\n- hosts: [./*, istio-system/*]")), CART,
                        "hides egress/proxy: Sidecar istio-system/default imports only ./*, istio-system/*"),
                row("in the root namespace's Sidecar, ./ is the pod's namespace",
                        documents(proxyEntry("shop", "proxy", ""), sidecar("istio-system", "default", "egress:\n- hosts: [./*]")), CART,
                        "sees shop/proxy"),
                row("a namespace's own Sidecar wins over the root namespace's",
                        documents(PROXY, sidecar("istio-system", "default", "egress:\n- hosts: [./*]"),
                                sidecar("shop", "default", "egress:\n- hosts: [\"*/*\"]")), CART, "sees egress/proxy"),
                row("a root-namespace Sidecar with a selector is no mesh-wide default",
                        documents(PROXY, sidecar("istio-system", "cart", "workloadSelector: {labels: {app: cart}}\negress:\n- hosts: [./*]")), CART,
                        "sees egress/proxy"),
                row("meshConfig rootNamespace moves the mesh-wide default", "",
                        documents(PROXY, meshConfigMap("istio", "rootNamespace: mesh-config"),
                                sidecar("mesh-config", "default", "egress:\n- hosts: [./*]")), CART,
                        "hides egress/proxy: Sidecar mesh-config/default imports only ./*"),
                // one namespace per host
                row("one namespace per host: the pod's own namespace's entry is kept",
                        documents(PROXY, secondProxy("shop", "proxy-b", "2026-03-01T00:00:00Z", "")), CART,
                        "hides egress/proxy: this pod keeps shop/proxy-b for the same host my-company-proxy.com"),
                row("one namespace per host: else the oldest is kept",
                        documents(created(PROXY, "2026-03-01T00:00:00Z"), secondProxy("egress-b", "proxy", "2026-01-01T00:00:00Z", "")), CART,
                        "hides egress/proxy: this pod keeps egress-b/proxy for the same host my-company-proxy.com"),
                row("one namespace per host: the older entry keeps its host",
                        documents(created(PROXY, "2026-01-01T00:00:00Z"), secondProxy("egress-b", "proxy", "2026-03-01T00:00:00Z", "")), CART,
                        "sees egress/proxy"),
                row("one namespace per host: entries exported to the pod's namespace by name come first",
                        documents(created(PROXY, "2026-01-01T00:00:00Z"), secondProxy("egress-b", "proxy", "2026-03-01T00:00:00Z", "exportTo: [shop]")),
                        CART, "hides egress/proxy: this pod keeps egress-b/proxy for the same host my-company-proxy.com"),
                row("one namespace per host: a listener of exact hosts only takes the oldest",
                        documents(created(PROXY, "2026-01-01T00:00:00Z"), secondProxy("egress-b", "proxy", "2026-03-01T00:00:00Z", "exportTo: [shop]"),
                                sidecar("shop", "default", "egress:\n- hosts: [egress/my-company-proxy.com, egress-b/my-company-proxy.com]")), CART,
                        "sees egress/proxy"),
                row("one namespace per host: only entries the listener imports compete",
                        documents(created(PROXY, "2026-03-01T00:00:00Z"), secondProxy("egress-b", "proxy", "2026-01-01T00:00:00Z", ""),
                                sidecar("shop", "default", "egress:\n- hosts: [egress/*]")), CART,
                        "sees egress/proxy"),
                row("one namespace per host: two entries of one namespace, the older is kept",
                        documents(created(PROXY, "2026-03-01T00:00:00Z"), secondProxy("egress", "proxy-b", "2026-01-01T00:00:00Z", "")), CART,
                        "hides egress/proxy: this pod keeps egress/proxy-b for the same host my-company-proxy.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void seesTheProxyEntriesAsIstiodWould(Row row) {
        ClusterView view = view(config(row.mesh()), row.objects());

        ProxyPath path = ProxyPath.resolve(view, podMeta(row.pod()), PROXY_IP, PROXY_PORT);

        assertThat(describe(path)).isEqualTo(row.expected());
    }

    static Stream<Row> policies() {
        String canaryPod = pod("shop", "labels: {app: cart, istio.io/rev: canary}", "");
        String revisions = documents(PROXY, namespace("shop", "{team: web}"), meshConfigMap("istio", "accessLogFile: /dev/stdout"),
                meshConfigMap("istio-canary", "outboundTrafficPolicy: {mode: REGISTRY_ONLY}"));
        return Stream.of(
                row("no mesh ConfigMap and no Sidecar: ALLOW_ANY", PROXY, CART, "ALLOW_ANY (mesh config)"),
                row("the mesh ConfigMap's outboundTrafficPolicy REGISTRY_ONLY",
                        documents(PROXY, meshConfigMap("istio", "outboundTrafficPolicy:\n  mode: REGISTRY_ONLY")), CART, "REGISTRY_ONLY (mesh config)"),
                row("a mesh ConfigMap without outboundTrafficPolicy: absent is ALLOW_ANY, not the enum's zero value",
                        documents(PROXY, meshConfigMap("istio", "accessLogFile: /dev/stdout")), CART, "ALLOW_ANY (mesh config)"),
                row("outboundTrafficPolicy {} replaces the default: its mode is the zero value, REGISTRY_ONLY",
                        documents(PROXY, meshConfigMap("istio", "outboundTrafficPolicy: {}")), CART, "REGISTRY_ONLY (mesh config)"),
                row("ProxyGuard's mesh: section stands in for a mesh ConfigMap", "mesh:\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n",
                        PROXY, CART, "REGISTRY_ONLY (mesh config)"),
                row("a mesh ConfigMap in view is laid over Istio's defaults, not over the mesh: section",
                        "mesh:\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n", documents(PROXY, meshConfigMap("istio", "accessLogFile: /dev/stdout")),
                        CART, "ALLOW_ANY (mesh config)"),
                row("a Sidecar's policy overrides the mesh's",
                        documents(PROXY, meshConfigMap("istio", "outboundTrafficPolicy: {mode: REGISTRY_ONLY}"),
                                sidecar("shop", "default", "outboundTrafficPolicy: {mode: ALLOW_ANY}")), CART, "ALLOW_ANY (Sidecar shop/default)"),
                row("a Sidecar's policy with only an egressProxy is REGISTRY_ONLY",
                        documents(PROXY, sidecar("shop", "default", """
                                outboundTrafficPolicy:
                                  egressProxy:
                                    host: squid.egress.svc.cluster.local
                                    port: {number: 3128}""")), CART, "REGISTRY_ONLY (Sidecar shop/default)"),
                row("a pod labelled istio.io/rev: canary follows ConfigMap istio-canary", revisions, canaryPod, "REGISTRY_ONLY (mesh config)"),
                row("a pod of the default revision follows ConfigMap istio", revisions,
                        pod("shop", "labels: {app: cart, sidecar.istio.io/inject: \"true\"}", ""), "ALLOW_ANY (mesh config)"),
                row("a namespace labelled istio.io/rev=canary follows ConfigMap istio-canary",
                        revisions.replace("{team: web}", "{istio.io/rev: canary}"), CART, "REGISTRY_ONLY (mesh config)"),
                row("a revision without its ConfigMap in view follows the default revision's",
                        documents(PROXY, namespace("shop", "{team: web}"), meshConfigMap("istio", "outboundTrafficPolicy: {mode: REGISTRY_ONLY}")),
                        canaryPod, "REGISTRY_ONLY (mesh config)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void outboundPolicyIsTheSidecarsElseTheMeshs(Row row) {
        ClusterView view = view(config(row.mesh()), row.objects());

        ProxyPath path = ProxyPath.resolve(view, podMeta(row.pod()), PROXY_IP, PROXY_PORT);

        assertThat(path.policyText()).isEqualTo(row.expected());
    }

    @Test
    void aModeIstioDoesNotKnowIsReportedAndIgnored() {
        ClusterView view = view(config(""), documents(PROXY, meshConfigMap("istio", "outboundTrafficPolicy: {mode: registry_only}")));

        assertThat(ProxyPath.resolve(view, podMeta(CART), PROXY_IP, PROXY_PORT).policyText()).isEqualTo("ALLOW_ANY (mesh config)");
        assertThat(view.mesh().problems()).extracting(MeshProblem::message).containsExactly("ConfigMap istio-system/istio data.mesh: outboundTrafficPolicy.mode: "
                + "'registry_only' is neither ALLOW_ANY nor REGISTRY_ONLY; Istio's default is used");
    }

    static Stream<Row> services() {
        String web = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: web
                  annotations: %s
                spec:
                  selector: {app: web}
                  ports:
                  - {name: http-web, port: 3128}
                """;
        return Stream.of(
                row("a Service without the annotation is seen everywhere", web.formatted("{}"), CART, "seen"),
                row("networking.istio.io/exportTo: . keeps it in its namespace", web.formatted("{networking.istio.io/exportTo: .}"), CART,
                        "exportTo [\".\"] of web/web"),
                row("a comma-separated list that names the pod's namespace", web.formatted("{networking.istio.io/exportTo: \"web, shop\"}"), CART, "seen"),
                row("a list without it", web.formatted("{networking.istio.io/exportTo: \"web,billing\"}"), CART, "exportTo [\"billing\", \"web\"] of web/web"),
                row("an empty annotation is no annotation", web.formatted("{networking.istio.io/exportTo: \"\"}"), CART, "seen"),
                row("a blank one names no namespace", web.formatted("{networking.istio.io/exportTo: \" \"}"), CART, "exportTo [\"\"] of web/web"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void aServiceIsExportedByItsAnnotation(Row row) {
        ClusterView view = view(config(row.mesh()), row.objects());
        PodMeta pod = podMeta(row.pod());
        MeshSettings settings = view.mesh().settings("");
        ServicePortUse service = view.servicesOnPort(PROXY_PORT).get(0);

        Optional<String> hidden = Visibility.hiddenReason(service, view.mesh().scope(pod, settings), settings);

        assertThat(hidden.orElse("seen")).isEqualTo(row.expected());
    }
}
