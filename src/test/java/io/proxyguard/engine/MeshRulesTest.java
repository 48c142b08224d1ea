package io.proxyguard.engine;

import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.IndexedClusterView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.proxyguard.engine.Fixtures.meshConfigMap;
import static io.proxyguard.engine.Fixtures.namespace;
import static io.proxyguard.engine.Fixtures.proxyEntry;
import static io.proxyguard.engine.Fixtures.sidecar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mesh-aware rules end to end, through {@link PolicyEngine} on manifests as users apply them: PG201 (and the
 * policy it names), PG206, PG207 (and the object it names), PG208, PG109 with and without workloads in view,
 * PG110 across namespaces, PG111, and PG205 for a port out of range. The proxy is the example configuration's,
 * 10.10.0.5:3128; the workload is Deployment shop/cart. Every ServiceEntry and Sidecar passes Istio's CRD schema.
 */
class MeshRulesTest {

    private final PolicyEngine engine = new PolicyEngine(Fixtures.exampleConfig());

    private static final String INJECTED_SHOP = namespace("shop", "{istio-injection: enabled}");
    private static final String REGISTRY_ONLY_MESH = meshConfigMap("istio", "outboundTrafficPolicy:\n  mode: REGISTRY_ONLY");

    /** Deployment {@code namespace}/cart sending its calls through {@code proxy}; its pods carry {@code labels} and {@code annotations}. */
    private static String cart(String namespace, String proxy, String labels, String annotations) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: cart
                  namespace: %s
                spec:
                  selector:
                    matchLabels: {app: cart}
                  template:
                    metadata:
                      labels: %s
                      annotations: %s
                    spec:
                      containers:
                      - name: cart
                        image: registry.example/cart:1.0
                        env:
                        - name: HTTPS_PROXY
                          value: %s
                        - name: NO_PROXY
                          value: .svc,.cluster.local
                """.formatted(namespace, labels, annotations, proxy);
    }

    private static String cart(String namespace, String proxy) {
        return cart(namespace, proxy, "{app: cart}", "{}");
    }

    private static String cart(String proxy) {
        return cart("shop", proxy);
    }

    /** Service web/web with an HTTP port (by its name) on 3128, exported as {@code exportTo} says ("" for no annotation). */
    private static String httpService(String namespace, String exportTo) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: %s
                  annotations: {%s}
                spec:
                  selector: {app: web}
                  ports:
                  - {name: http-web, port: 3128}
                """.formatted(namespace, exportTo.isEmpty() ? "" : "networking.istio.io/exportTo: \"" + exportTo + "\"");
    }

    /** The findings of the first document, judged against a view of all the documents. */
    private List<Finding> findings(String... documents) throws Exception {
        List<KubeObject> objects = new ArrayList<>();
        for (String document : documents) {
            objects.add(CrdSchema.accepted(Fixtures.object(document)));
        }
        return engine.evaluate(objects.get(0), IndexedClusterView.of(objects, engine.detector())).findings();
    }

    private List<String> rules(String... documents) throws Exception {
        return findings(documents).stream().map(Finding::ruleId).toList();
    }

    private String message(String rule, String... documents) throws Exception {
        return findings(documents).stream().filter(f -> f.ruleId().equals(rule)).map(Finding::message).findFirst().orElseThrow();
    }

    // PG201

    @Test
    void unknownProxyUnderRegistryOnlyIsDroppedAndTheMessageSaysSo() throws Exception {
        assertThat(message("PG201", cart("http://10.20.0.9:3128"), INJECTED_SHOP, REGISTRY_ONLY_MESH))
                .contains("under REGISTRY_ONLY (mesh config) calls are dropped");
    }

    @Test
    void unknownProxyWithoutMeshConfigPassesThroughUnderAllowAny() throws Exception {
        assertThat(message("PG201", cart("http://10.20.0.9:3128"), INJECTED_SHOP))
                .contains("under ALLOW_ANY (mesh config) calls pass unnamed");
    }

    @Test
    void pg201NamesTheSidecarWhosePolicyIsInForce() throws Exception {
        String sidecar = sidecar("shop", "default", "outboundTrafficPolicy: {mode: REGISTRY_ONLY}");

        assertThat(message("PG201", cart("http://10.20.0.9:3128"), INJECTED_SHOP, sidecar))
                .contains("under REGISTRY_ONLY (Sidecar shop/default) calls are dropped");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unlabelled namespace                | {team: web}                        | {app: cart}                                  | {}
            an ambient namespace                   | {istio.io/dataplane-mode: ambient} | {app: cart}                                  | {}
            a pod that opts out of injection       | {istio-injection: enabled}         | '{app: cart, sidecar.istio.io/inject: "false"}' | {}
            the proxy's port excluded from capture | {istio-injection: enabled}         | {app: cart} | '{traffic.sidecar.istio.io/excludeOutboundPorts: "3128"}'
            the proxy's IP excluded from capture   | {istio-injection: enabled}         | {app: cart} | '{traffic.sidecar.istio.io/excludeOutboundIPRanges: "10.20.0.0/16"}'
            """)
    void noMeshRuleForTrafficThatNeverMeetsASidecar(String name, String namespaceLabels, String podLabels, String podAnnotations)
            throws Exception {
        String namespace = namespace("shop", namespaceLabels);

        assertThat(rules(cart("shop", "http://10.20.0.9:3128", podLabels, podAnnotations), namespace, REGISTRY_ONLY_MESH)).isEmpty();
    }

    // PG206, PG207

    @Test
    void httpProxyEntryThePodSeesIsPg206() throws Exception {
        String httpEntry = proxyEntry("egress", "proxy", "").replace("protocol: TCP", "protocol: HTTP");

        assertThat(message("PG206", cart("http://10.10.0.5:3128"), INJECTED_SHOP, httpEntry))
                .contains("has ServiceEntry egress/proxy with protocol HTTP");
    }

    @Test
    void httpProxyEntryThePodCannotSeeIsPg207NotPg206() throws Exception {
        String httpEntry = proxyEntry("egress", "proxy", "exportTo: [\".\"]").replace("protocol: TCP", "protocol: HTTP");

        assertThat(rules(cart("http://10.10.0.5:3128"), INJECTED_SHOP, httpEntry)).containsExactly("PG207");
    }

    @Test
    void pg207NamesTheExportToThatHidesTheEntry() throws Exception {
        assertThat(message("PG207", cart("http://10.10.0.5:3128"), INJECTED_SHOP, REGISTRY_ONLY_MESH,
                proxyEntry("egress", "proxy", "exportTo: [\".\"]")))
                .isEqualTo("container cart: proxy 10.10.0.5:3128: entry egress/proxy hidden (exportTo [\".\"] of egress/proxy); "
                        + "under REGISTRY_ONLY (mesh config) calls are dropped; export or import it");
    }

    @Test
    void pg207NamesTheSidecarThatDoesNotImportTheEntry() throws Exception {
        String sidecar = sidecar("shop", "default", "egress:\n- hosts: [./*, istio-system/*]");

        assertThat(message("PG207", cart("http://10.10.0.5:3128"), INJECTED_SHOP, proxyEntry("egress", "proxy", ""), sidecar))
                .contains("(Sidecar shop/default imports only ./*, istio-system/*)");
    }

    @Test
    void pg207NamesTheEntryKeptInsteadForTheSameHost() throws Exception {
        String otherProxy = proxyEntry("shop", "proxy-b", "").replace("10.10.0.5/32", "10.10.0.6/32");

        assertThat(message("PG207", cart("http://10.10.0.5:3128"), INJECTED_SHOP, proxyEntry("egress", "proxy", ""), otherProxy))
                .contains("(this pod keeps shop/proxy-b for the same host my-company-proxy.com)");
    }

    @Test
    void aVisibleProxyEntryIsClean() throws Exception {
        assertThat(rules(cart("http://10.10.0.5:3128"), INJECTED_SHOP, REGISTRY_ONLY_MESH, proxyEntry("egress", "proxy", ""))).isEmpty();
    }

    // PG209

    /** The Sidecar of shop with an egress listener on port 3128 ({@code port} lines) importing {@code hosts}, then the catch-all. */
    private static String portListenerSidecar(String port, String hosts) {
        return sidecar("shop", "default", "egress:\n- port: " + port + "\n  hosts: " + hosts + "\n- hosts: ['*/*']");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "HTTP listener            | {number: 3128, name: http, protocol: HTTP}  | [egress/*]                | PG209",
            "lower-case grpc          | {number: 3128, name: grpc, protocol: grpc}  | [egress/*]                | PG209",
            "no protocol: sniffed     | {number: 3128, name: proxy}                 | [egress/*]                | PG209",
            "TCP listener             | {number: 3128, name: tcp, protocol: TCP}    | [egress/*]                | ''",
            "HTTP_PROXY listener      | {number: 3128, name: hp, protocol: HTTP_PROXY} | [egress/*]             | ''",
            "HTTP listener, other port | {number: 8080, name: http, protocol: HTTP} | [egress/*]                | ''",
            "HTTP listener not importing the proxy | {number: 3128, name: http, protocol: HTTP} | [./*]     | ''"})
    void pg209ForASidecarListenerThatMakesTheProxysPortHttp(String name, String port, String hosts, String expected) throws Exception {
        assertThat(String.join(",", rules(cart("http://10.10.0.5:3128"), INJECTED_SHOP, proxyEntry("egress", "proxy", ""),
                portListenerSidecar(port, hosts)))).isEqualTo(expected);
    }

    @Test
    void pg209SaysWhichSidecarAndWhatToSet() throws Exception {
        assertThat(message("PG209", cart("http://10.10.0.5:3128"), INJECTED_SHOP, proxyEntry("egress", "proxy", ""),
                portListenerSidecar("{number: 3128, name: http, protocol: HTTP}", "[egress/*]")))
                .isEqualTo("container cart: Sidecar shop/default has an egress listener on port 3128 with protocol HTTP, so this "
                        + "pod's sidecar serves proxy 10.10.0.5:3128 as HTTP and CONNECT gets 404; set its protocol to TCP");
    }

    @Test
    void aTcpSidecarListenerOnTheProxysPortMakesAnHttpProxyEntryTcpForThePod() throws Exception {
        String httpProxyEntry = proxyEntry("egress", "proxy", "").replace("name: tcp, protocol: TCP", "name: http, protocol: HTTP");

        assertThat(rules(cart("http://10.10.0.5:3128"), INJECTED_SHOP, httpProxyEntry)).containsExactly("PG206");
        assertThat(rules(cart("http://10.10.0.5:3128"), INJECTED_SHOP, httpProxyEntry,
                portListenerSidecar("{number: 3128, name: tcp, protocol: TCP}", "[egress/*]"))).isEmpty();
    }

    // PG208

    @Test
    void httpServiceThePodSeesOnItsProxysPortIsPg208() throws Exception {
        assertThat(findings(cart("http://10.10.0.5:3128"), INJECTED_SHOP, httpService("web", "")))
                .extracting(Finding::headline)
                .containsExactly("PG208: container cart: port 3128 is HTTP in Service web/web, which this pod sees, and no TCP entry for proxy "
                        + "10.10.0.5:3128 overrides it, so CONNECT gets 404; move that port or add the entry");
    }

    @Test
    void theTcpProxyEntryOverridesTheHttpListener() throws Exception {
        assertThat(rules(cart("http://10.10.0.5:3128"), INJECTED_SHOP, httpService("web", ""), proxyEntry("egress", "proxy", ""))).isEmpty();
    }

    @Test
    void anHttpServiceKeptInItsNamespaceIsNoTrapForOthers() throws Exception {
        assertThat(rules(cart("http://10.10.0.5:3128"), INJECTED_SHOP, httpService("web", "."))).isEmpty();
    }

    // PG109

    @Test
    void pg109WithoutWorkloadsInViewWarnsAsBefore() throws Exception {
        assertThat(rules(proxyEntry("egress", "proxy", ""), httpService("web", "."))).containsExactly("PG109");
    }

    @Test
    void pg109IsQuietWhenNoWorkloadInViewSeesTheHttpPort() throws Exception {
        assertThat(rules(proxyEntry("egress", "proxy", ""), httpService("web", "."), INJECTED_SHOP, cart("http://10.10.0.5:3128"))).isEmpty();
    }

    @Test
    void pg109WarnsWhenAWorkloadSeesTheHttpPortAndNotItsProxyEntry() throws Exception {
        String webNamespace = namespace("web", "{istio-injection: enabled}");

        assertThat(findings(proxyEntry("egress", "proxy", "exportTo: [shop]"), httpService("web", "."), webNamespace,
                cart("web", "http://10.10.0.5:3128")))
                .extracting(f -> f.ruleId() + "@" + f.path()).containsExactly("PG109@spec.ports[0].number");
    }

    @Test
    void pg109OnTheHttpEntryItselfFollowsTheWorkloadsToo() throws Exception {
        String cache = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: cache, namespace: web}
                spec:
                  exportTo: ["."]
                  hosts: [cache.corp.example]
                  addresses: [10.40.0.0/24]
                  ports:
                  - {number: 3128, name: http, protocol: HTTP}
                  location: MESH_INTERNAL
                  resolution: NONE
                """;

        assertThat(rules(cache)).containsExactly("PG109");
        assertThat(rules(cache, INJECTED_SHOP, cart("http://10.10.0.5:3128"))).isEmpty();
    }

    // PG110

    @Test
    void pg110AcrossNamespacesWhenAWorkloadSeesBoth() throws Exception {
        String otherProxy = proxyEntry("egress-b", "proxy", "").replace("10.10.0.5/32", "10.10.0.6/32");

        assertThat(message("PG110", proxyEntry("egress", "proxy", ""), otherProxy, INJECTED_SHOP, cart("http://10.10.0.5:3128")))
                .isEqualTo("host my-company-proxy.com is also the placeholder of proxy entry egress-b/proxy, and some namespace sees both; "
                        + "its pods keep only one, so give each proxy entry its own host");
    }

    @Test
    void pg110IsQuietWhenTheWorkloadsSeeOnlyOneOfThem() throws Exception {
        String otherProxy = proxyEntry("egress-b", "proxy", "exportTo: [\".\"]").replace("10.10.0.5/32", "10.10.0.6/32");

        assertThat(rules(proxyEntry("egress", "proxy", ""), otherProxy, INJECTED_SHOP, cart("http://10.10.0.5:3128"))).isEmpty();
    }

    // PG111

    @Test
    void dnsEntryWithoutAddressesOnAProxysPortIsPg111() throws Exception {
        String partner = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: partner-legacy, namespace: shop}
                spec:
                  hosts: [legacy.partner.example]
                  ports:
                  - {number: 8181, name: tcp-legacy, protocol: TCP}
                  location: MESH_EXTERNAL
                  resolution: DNS
                """;

        assertThat(findings(partner, INJECTED_SHOP, cart("http://10.10.11.11:8181"))).filteredOn(f -> f.ruleId().equals("PG111"))
                .extracting(Finding::message)
                .containsExactly("port 8181 is a proxy's port; resolution DNS without addresses sends all traffic on it, "
                        + "the proxy's included, to legacy.partner.example; add addresses or use another port");
        assertThat(rules(partner.replace("  resolution: DNS", "  addresses: [192.0.2.10]\n  resolution: DNS"),
                INJECTED_SHOP, cart("http://10.10.11.11:8181"))).doesNotContain("PG111");
    }

    // PG205

    @ParameterizedTest
    @ValueSource(strings = {"http://10.10.0.5:99999", "http://10.10.0.5:0"})
    void aPortOutOfRangeIsUnparsableNotAProxyAtThatPort(String proxy) throws Exception {
        assertThat(findings(cart(proxy), INJECTED_SHOP, REGISTRY_ONLY_MESH)).extracting(f -> f.ruleId() + "@" + f.path())
                .containsExactly("PG205@spec.template.spec.containers[0].env[0].value");
    }
}
