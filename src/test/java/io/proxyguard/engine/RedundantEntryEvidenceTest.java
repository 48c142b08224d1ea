package io.proxyguard.engine;

import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.IndexedClusterView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PG107 on evidence: the payments entry of namespace shop (TLS 443, api.payments.example.com) judged against the
 * workloads in view and how their environment routes the host. The configuration is the examples' (corp-proxy,
 * 10.10.0.5:3128), so when no workload can see the entry, proxiedHosts (all hosts) decides.
 */
class RedundantEntryEvidenceTest {

    private static final String HOST = "api.payments.example.com";
    private static final String PROXY = "{name: HTTPS_PROXY, value: '10.10.0.5:3128'}";
    private static final String MESH_NO_PROXY = "{name: NO_PROXY, value: '.svc,.cluster.local'}";
    private static final String TLS_443 = "ports: [{number: 443, name: tls, protocol: TLS}]\n";
    private static final String PAYMENTS = "hosts: [" + HOST + "]\n" + TLS_443 + "location: MESH_EXTERNAL\nresolution: DNS\n";

    private final PolicyEngine engine = new PolicyEngine(Fixtures.exampleConfig());

    record Case(String name, String entrySpec, List<String> others, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A Deployment {@code name} of {@code namespace} whose one container has {@code env} (a flow list's items). */
    static String deployment(String namespace, String name, String env) {
        return deployment(namespace, name, "{}", env);
    }

    static String deployment(String namespace, String name, String annotations, String env) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec:
                  template:
                    metadata: {labels: {app: %s}, annotations: %s}
                    spec:
                      containers:
                      - name: app
                        env: [%s]
                """.formatted(name, namespace, name, annotations, env);
    }

    static String noProxy(String value) {
        return PROXY + ", {name: NO_PROXY, value: '" + value + "'}";
    }

    private static Case warns(String name, String spec, List<String> others, String... expected) {
        return new Case(name, spec, others, List.of(expected));
    }

    private static Case silent(String name, String spec, List<String> others) {
        return new Case(name, spec, others, List.of());
    }

    private static final String CHECKOUT_PROXIED = deployment("shop", "checkout", PROXY + ", " + MESH_NO_PROXY);

    static List<Case> cases() {
        return List.of(
                warns("a workload that proxies it", PAYMENTS, List.of(CHECKOUT_PROXIED), "PG107@spec.hosts"),
                silent("direct through NO_PROXY naming the host", PAYMENTS,
                        List.of(deployment("shop", "checkout", noProxy(".svc,.cluster.local," + HOST)))),
                silent("direct through NO_PROXY .suffix", PAYMENTS, List.of(deployment("shop", "checkout", noProxy(".example.com")))),
                silent("direct through NO_PROXY suffix without a dot", PAYMENTS,
                        List.of(deployment("shop", "checkout", noProxy("payments.example.com")))),
                silent("direct through NO_PROXY *", PAYMENTS, List.of(deployment("shop", "checkout", noProxy("*")))),
                warns("NO_PROXY * among other entries is no wildcard to curl", PAYMENTS,
                        List.of(deployment("shop", "checkout", noProxy("*,.svc"))), "PG107@spec.hosts"),
                silent("a workload without proxy variables reaches it directly", PAYMENTS,
                        List.of(deployment("shop", "checkout", "{name: LOG_LEVEL, value: debug}"))),
                silent("two workloads disagreeing: one direct is enough to keep it", PAYMENTS,
                        List.of(CHECKOUT_PROXIED, deployment("shop", "refunds", noProxy(HOST)))),
                warns("a direct workload the entry is not exported to does not count", PAYMENTS + "exportTo: [\".\"]\n",
                        List.of(CHECKOUT_PROXIED, deployment("billing", "invoices", "")), "PG107@spec.hosts"),
                warns("no workload can see it: judged from proxiedHosts", PAYMENTS + "exportTo: [\".\"]\n",
                        List.of(deployment("billing", "invoices", "")), "PG107@spec.hosts"),
                warns("no workloads in view: judged from proxiedHosts", PAYMENTS, List.of(), "PG107@spec.hosts"),
                silent("env from a ConfigMap whose NO_PROXY covers the host", PAYMENTS, List.of(
                        configMap("shop", "proxy-env", "{HTTPS_PROXY: '10.10.0.5:3128', NO_PROXY: '.svc,.example.com'}"),
                        deploymentFromConfigMap("shop", "checkout", "proxy-env"))),
                warns("env from a ConfigMap that proxies the host", PAYMENTS, List.of(
                        configMap("shop", "proxy-env", "{HTTPS_PROXY: '10.10.0.5:3128', NO_PROXY: '.svc,.cluster.local'}"),
                        deploymentFromConfigMap("shop", "checkout", "proxy-env")), "PG107@spec.hosts"),
                silent("env from a ConfigMap not in view cannot be told", PAYMENTS,
                        List.of(deploymentFromConfigMap("shop", "checkout", "elsewhere"), CHECKOUT_PROXIED)),
                silent("HTTPS_PROXY from a Secret cannot be told", PAYMENTS, List.of(deployment("shop", "checkout",
                        "{name: HTTPS_PROXY, valueFrom: {secretKeyRef: {name: proxy, key: url}}}"))),
                warns("IPv6 NO_PROXY entries never cover a host name", PAYMENTS,
                        List.of(deployment("shop", "checkout", noProxy(".svc,2001:db8::/32,[2001:db8::5]"))), "PG107@spec.hosts"),
                silent("host:443 in NO_PROXY: curl ignores it, Go and Python honour it", PAYMENTS,
                        List.of(deployment("shop", "checkout", noProxy(".svc," + HOST + ":443")))),
                warns("host:80 in NO_PROXY says nothing about 443", PAYMENTS,
                        List.of(deployment("shop", "checkout", noProxy(".svc," + HOST + ":80"))), "PG107@spec.hosts"),
                warns("a pod without a sidecar does not count", PAYMENTS, List.of(CHECKOUT_PROXIED,
                        "apiVersion: v1\nkind: Namespace\nmetadata: {name: legacy, labels: {istio-injection: disabled}}\n",
                        deployment("legacy", "batch", "")), "PG107@spec.hosts"),
                silent("an ambient pod that goes direct counts", PAYMENTS, List.of(CHECKOUT_PROXIED,
                        "apiVersion: v1\nkind: Namespace\nmetadata: {name: mesh-l4, labels: {istio.io/dataplane-mode: ambient}}\n",
                        deployment("mesh-l4", "batch", ""))),
                warns("a pod whose Sidecar does not import the entry does not count", PAYMENTS, List.of(CHECKOUT_PROXIED,
                        "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: batch}\n"
                                + "spec: {egress: [{hosts: [./*, istio-system/*]}]}\n",
                        deployment("batch", "report", "")), "PG107@spec.hosts"),
                warns("a pod that excludes port 443 from capture does not count", PAYMENTS, List.of(CHECKOUT_PROXIED,
                        deployment("batch", "report", "{traffic.sidecar.istio.io/excludeOutboundPorts: '443'}", "")),
                        "PG107@spec.hosts"),
                silent("MESH_INTERNAL is no candidate", PAYMENTS.replace("MESH_EXTERNAL", "MESH_INTERNAL"), List.of(CHECKOUT_PROXIED)),
                silent("explicit endpoints are no candidate", PAYMENTS.replace("resolution: DNS", "resolution: STATIC")
                        + "endpoints: [{address: 203.0.113.7}]\n", List.of(CHECKOUT_PROXIED)),
                silent("a workloadSelector is no candidate", PAYMENTS.replace("resolution: DNS", "resolution: STATIC")
                        + "workloadSelector: {labels: {app: vm}}\n", List.of(CHECKOUT_PROXIED)),
                silent("a loopback address is no candidate", PAYMENTS + "addresses: [127.0.0.1]\n", List.of(CHECKOUT_PROXIED)),
                silent("a link-local address is no candidate", PAYMENTS + "addresses: ['fe80::1']\n", List.of(CHECKOUT_PROXIED)),
                silent("TCP on port 22 is no candidate", PAYMENTS.replace("{number: 443, name: tls, protocol: TLS}",
                        "{number: 22, name: ssh, protocol: TCP}"), List.of(CHECKOUT_PROXIED)),
                silent("MONGO is no candidate", PAYMENTS.replace("{number: 443, name: tls, protocol: TLS}",
                        "{number: 443, name: mongo, protocol: MONGO}"), List.of(CHECKOUT_PROXIED)),
                silent("TLS off the web ports is no candidate", PAYMENTS.replace("number: 443", "number: 8883"), List.of(CHECKOUT_PROXIED)),
                warns("TCP on 443 is web traffic", PAYMENTS.replace("protocol: TLS", "protocol: TCP"), List.of(CHECKOUT_PROXIED),
                        "PG107@spec.hosts"),
                warns("443 and 22: redundant at most for 443", PAYMENTS.replace(TLS_443,
                        "ports: [{number: 443, name: tls, protocol: TLS}, {number: 22, name: ssh, protocol: TCP}]\n"),
                        List.of(CHECKOUT_PROXIED), "PG107@spec.ports[0]"),
                warns("HTTPS_PROXY alone proxies 443 but not http on 80", PAYMENTS.replace(TLS_443,
                        "ports: [{number: 443, name: tls, protocol: TLS}, {number: 80, name: http, protocol: HTTP}]\n"),
                        List.of(CHECKOUT_PROXIED), "PG107@spec.ports[0]"),
                warns("http_proxy and HTTPS_PROXY proxy both ports", PAYMENTS.replace(TLS_443,
                        "ports: [{number: 443, name: tls, protocol: TLS}, {number: 80, name: http, protocol: HTTP}]\n"),
                        List.of(deployment("shop", "checkout", PROXY + ", {name: http_proxy, value: '10.10.0.5:3128'}")),
                        "PG107@spec.hosts"),
                warns("one host direct, the others proxied: remove those", PAYMENTS.replace("[" + HOST + "]",
                        "[a.example.com, b.example.com, direct.partner.example]"),
                        List.of(deployment("shop", "checkout", noProxy(".svc,direct.partner.example"))), "PG107@spec.hosts"),
                silent("a wildcard host with one name in NO_PROXY is needed for that name", PAYMENTS.replace("[" + HOST + "]",
                        "['*.example.com']"), List.of(deployment("shop", "checkout", noProxy(".svc,api.example.com")))),
                warns("the workloads' evidence wins over the configuration's noProxy", PAYMENTS.replace(HOST, "api.payments.svc"),
                        List.of(deployment("shop", "checkout", noProxy(".cluster.local"))), "PG107@spec.hosts"),
                silent("the configuration's noProxy decides without evidence", PAYMENTS.replace(HOST, "api.payments.svc"), List.of()));
    }

    static String configMap(String namespace, String name, String data) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + ", namespace: " + namespace + "}\ndata: " + data + "\n";
    }

    static String deploymentFromConfigMap(String namespace, String name, String configMap) {
        return deployment(namespace, name, "").replace("env: []", "envFrom: [{configMapRef: {name: " + configMap + "}}]");
    }

    private List<Finding> judge(String entrySpec, List<String> others) throws Exception {
        KubeObject entry = Fixtures.object("apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                + "metadata: {name: payments, namespace: shop}\nspec:\n" + entrySpec.indent(2));
        List<KubeObject> all = new ArrayList<>(others.stream().map(Fixtures::object).toList());
        all.add(entry);
        return engine.evaluate(entry, IndexedClusterView.of(all, engine.detector())).findings();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void warnsOnlyWhenEveryWorkloadThatCanSeeTheEntryProxiesIt(Case testCase) throws Exception {
        List<Finding> findings = judge(testCase.entrySpec(), testCase.others());

        assertThat(findings).map(f -> f.ruleId() + "@" + f.path()).containsExactlyElementsOf(testCase.expected());
        assertThat(findings).allSatisfy(f -> assertThat(f.message()).hasSizeLessThanOrEqualTo(200));
    }

    @Test
    void theMessageCarriesTheEvidence() throws Exception {
        assertThat(judge(PAYMENTS, List.of(CHECKOUT_PROXIED))).singleElement().extracting(Finding::message)
                .isEqualTo("api.payments.example.com is sent through corp-proxy (10.10.0.5:3128) by the only workload that "
                        + "can see this entry, shop/checkout, so Istio never sees it and this entry is redundant; delete it");
        assertThat(judge(PAYMENTS, List.of(CHECKOUT_PROXIED, deployment("shop", "cart", PROXY), deployment("web", "front", PROXY))))
                .singleElement().extracting(Finding::message)
                .isEqualTo("api.payments.example.com is sent through corp-proxy (10.10.0.5:3128) by all 3 workloads that "
                        + "can see this entry, e.g. shop/cart, so Istio never sees it and this entry is redundant; delete it");
    }

    @Test
    void withoutEvidenceTheMessageSaysItIsJudgedFromTheConfiguration() throws Exception {
        assertThat(judge(PAYMENTS, List.of())).singleElement().extracting(Finding::message)
                .isEqualTo("api.payments.example.com is reached through proxy corp-proxy (10.10.0.5:3128) (judged from "
                        + "proxiedHosts: no workloads in view), so Istio never sees it and this entry is redundant; delete it");
        assertThat(judge(PAYMENTS + "exportTo: [\".\"]\n", List.of(deployment("billing", "invoices", "")))).singleElement()
                .extracting(Finding::message).asString()
                .contains("(judged from proxiedHosts: no workload in view can see this entry)");
    }

    @Test
    void messagesWithSeveralHostsReadRight() throws Exception {
        String forty = IntStream.range(0, 40).mapToObj(i -> "h" + i + ".example.com").collect(Collectors.joining(", ", "[", "]"));

        assertThat(judge(PAYMENTS.replace("[" + HOST + "]", forty), List.of(CHECKOUT_PROXIED))).singleElement()
                .extracting(Finding::message)
                .isEqualTo("h0.example.com and 39 more are sent through corp-proxy (10.10.0.5:3128) by the only workload "
                        + "that can see this entry, shop/checkout, so Istio never sees them and this entry is redundant; delete it");
        assertThat(judge(PAYMENTS.replace("[" + HOST + "]", forty), List.of())).singleElement().extracting(Finding::message)
                .asString().startsWith("h0.example.com and 39 more are reached through proxy corp-proxy (10.10.0.5:3128)");
        assertThat(judge(PAYMENTS.replace("[" + HOST + "]", "[a.example.com, b.example.com, direct.partner.example]"),
                List.of(deployment("shop", "checkout", noProxy(".svc,direct.partner.example"))))).singleElement()
                .extracting(Finding::message)
                .isEqualTo("a.example.com and 1 more are sent through corp-proxy (10.10.0.5:3128) by the only workload "
                        + "that can see this entry, shop/checkout, so Istio never sees them; remove them from hosts");
    }

    @Test
    void aPortJudgedAloneIsNamedWithItsNumber() throws Exception {
        assertThat(judge(PAYMENTS.replace(TLS_443, "ports: [{number: 443, name: tls, protocol: TLS}, {number: 22, name: ssh, protocol: TCP}]\n"),
                List.of(CHECKOUT_PROXIED))).singleElement().extracting(Finding::message)
                .isEqualTo("port 443: api.payments.example.com is sent through corp-proxy (10.10.0.5:3128) by the only "
                        + "workload that can see this entry, shop/checkout, so Istio never sees it on this port; remove the port");
    }

    @Test
    void aProxyOutsideTheConfigurationIsNamedByItsAddress() throws Exception {
        assertThat(judge(PAYMENTS, List.of(deployment("shop", "checkout", "{name: HTTPS_PROXY, value: 'http://10.20.0.9:3128'}"),
                deployment("shop", "cart", PROXY)))).singleElement().extracting(Finding::message).asString()
                .startsWith("api.payments.example.com is sent through corp-proxy (10.10.0.5:3128) and 1 other proxy by both "
                        + "workloads that can see this entry, e.g. shop/cart,");
    }

    @Test
    void theClusterRangesOfTheConfigurationAreNoCandidates() throws Exception {
        PolicyEngine withRanges = new PolicyEngine(Fixtures.config(Fixtures.EXAMPLE_CONFIG + "clusterRanges: [10.96.0.0/12]\n"));
        KubeObject entry = Fixtures.serviceEntry("v1", "cluster-api", "", PAYMENTS + "addresses: [10.96.0.10/32]\n");

        assertThat(withRanges.evaluate(entry, IndexedClusterView.of(List.of(entry), withRanges.detector())).findings()).isEmpty();
        assertThat(engine.evaluate(entry, IndexedClusterView.of(List.of(entry), engine.detector())).findings())
                .extracting(Finding::ruleId).containsExactly("PG107");
    }
}
