package io.proxyguard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.Decision;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.mesh.OutboundPolicy;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.IpBlock;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import io.proxyguard.engine.workload.WorkloadFacts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per object for the engine alone (no HTTP, no JSON parsing of the request): a clean proxy
 * entry, a broken one (fixes and patch computed), an external entry judged for PG107 (also among 10,000 workloads), and
 * Deployments whose proxy variables are clean, broken (unknown proxy, credentials in plain env) or whose proxy entry
 * their Sidecar does not import (PG207), each against a cluster view of 10,000 ServiceEntries, 1,000 Sidecars and
 * 2,000 Namespaces with a mesh ConfigMap per revision: the view the targets name (5 µs per entry, 10 µs per
 * Deployment). Run: {@code bench/rules.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The collector the chart's pods get (JDK 17 picks SerialGC below 1792 MiB), on a fixed heap: with the
// default G1 and a heap sized from the host, G1's concurrent work on 2 cores made single iterations 5 to 10x slower.
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms1g", "-Xmx1g"})
public class RuleEvaluationBenchmark {

    static final int VIEW_SIZE = 10_000;
    static final int NAMESPACES = 2_000;
    static final int SIDECARS = 1_000;

    private PolicyEngine engine;
    private ClusterView view;
    private KubeObject cleanProxyEntry;
    private KubeObject brokenProxyEntry;
    private KubeObject externalEntry;
    private KubeObject httpEntryOnProxyPort;
    private KubeObject cleanDeployment;
    private KubeObject brokenDeployment;
    private KubeObject hiddenProxyDeployment;

    @Setup
    public void setUp() {
        ProxyGuardConfig config = Fixtures.exampleConfig();
        engine = new PolicyEngine(config);
        List<KubeObject> cluster = new ArrayList<>();
        cluster.addAll(namespaces());
        cluster.addAll(sidecars());
        cluster.add(meshConfigMap("istio"));
        cluster.add(meshConfigMap("istio-canary"));
        for (int i = 0; i < VIEW_SIZE; i++) {
            boolean proxy = i % 1000 == 0;
            String spec = proxy
                    ? Fixtures.guideSpec().replace("my-company-proxy.com", "proxy-" + i + ".corp")
                    : "hosts:\n- api-" + i + ".example.com\nports:\n- number: 443\n  name: tls\n  protocol: TLS\nresolution: DNS\n"
                    + (i % 3 == 0 ? "exportTo: [\".\"]\n" : "");
            cluster.add(inNamespace(Fixtures.serviceEntry("v1", "entry-" + i, "", spec), namespace(i % NAMESPACES)));
        }
        view = IndexedClusterView.of(cluster, engine.detector());
        cleanProxyEntry = Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec());
        brokenProxyEntry = Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()
                .replace("protocol: TCP", "protocol: HTTP").replace("10.10.0.5/32", "10.10.0.5"));
        externalEntry = Fixtures.serviceEntry("v1", "wikipedia", "",
                "hosts:\n- en.wikipedia.org\nports:\n- number: 443\n  name: tls\n  protocol: TLS\nresolution: DNS\n");
        httpEntryOnProxyPort = Fixtures.serviceEntry("v1", "legacy-http", "",
                "hosts:\n- legacy.example.com\naddresses:\n- 10.99.0.1/32\nports:\n- number: 3128\n  name: http\n  protocol: HTTP\n"
                        + "location: MESH_INTERNAL\nresolution: STATIC\nendpoints:\n- address: 10.99.0.1\n");
        cleanDeployment = deployment(namespace(0), "http://10.10.0.5:3128");
        brokenDeployment = deployment(namespace(0), "http://svc-billing:Winter2026@10.20.0.9:3128/");
        hiddenProxyDeployment = deployment(namespace(4), "http://10.10.0.5:3128");
        require("a view of 10,000 ServiceEntries, 1,000 Sidecars, 2,000 Namespaces and 2 mesh ConfigMaps",
                count(cluster, "ServiceEntry") == VIEW_SIZE && count(cluster, "Sidecar") == SIDECARS
                        && count(cluster, "Namespace") == NAMESPACES && count(cluster, "ConfigMap") == 2);
        require("clean proxy entry has no denials", evaluate(cleanProxyEntry).denials().isEmpty());
        require("broken proxy entry is patched", evaluate(brokenProxyEntry).isPatched());
        ProxyPath cleanPath = path(cleanDeployment);
        require("clean Deployment's pod has a sidecar, its namespace's Sidecar and REGISTRY_ONLY, sees 5 proxy entries and not 5",
                cleanPath.throughSidecar() && cleanPath.scope().resource().map(s -> s.ref().namespacedName()).orElse("").equals("ns-0000/default")
                        && cleanPath.policy() == OutboundPolicy.REGISTRY_ONLY
                        && cleanPath.visibleEntries().size() == 5 && cleanPath.hiddenEntries().size() == 5);
        require("clean Deployment has no findings", evaluate(cleanDeployment).findings().isEmpty());
        require("broken Deployment has PG201 and PG203", ruleIds(brokenDeployment).containsAll(List.of("PG201", "PG203")));
        require("hidden-proxy Deployment has PG207 only", ruleIds(hiddenProxyDeployment).equals(List.of("PG207")));
    }

    /** Namespaces ns-0000 to ns-1999: injected, revision canary, unlabelled and ambient in turn. */
    private static List<KubeObject> namespaces() {
        List<String> labels = List.of("{istio-injection: enabled}", "{istio.io/rev: canary}", "{team: batch}",
                "{istio.io/dataplane-mode: ambient}");
        List<KubeObject> namespaces = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            namespaces.add(Fixtures.object("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + namespace(i)
                    + "\n  labels: " + labels.get(i % labels.size()) + "\n"));
        }
        return namespaces;
    }

    /**
     * 1,000 Sidecars: a namespace default in ns-0000 to ns-0498 importing its own namespace, istio-system, the next
     * namespace and one host of every namespace; a Sidecar selecting app=worker-N in each of them and in ns-0499;
     * and the root namespace's default.
     */
    private static List<KubeObject> sidecars() {
        List<KubeObject> sidecars = new ArrayList<>();
        for (int i = 0; i < SIDECARS / 2 - 1; i++) {
            sidecars.add(sidecar(namespace(i), "default", "egress:\n- hosts: [./*, istio-system/*, " + namespace(i + 1)
                    + "/*, \"*/api-" + i + ".example.com\"]\n"));
        }
        for (int i = 0; i < SIDECARS / 2; i++) {
            sidecars.add(sidecar(namespace(i), "worker", "workloadSelector: {labels: {app: worker-" + i + "}}\n"
                    + "egress:\n- port: {number: 443, protocol: TLS, name: tls}\n  hosts: [./*]\n"
                    + "outboundTrafficPolicy: {mode: ALLOW_ANY}\n"));
        }
        sidecars.add(sidecar("istio-system", "default", "egress:\n- hosts: [./*, istio-system/*]\n"));
        return sidecars;
    }

    private static KubeObject sidecar(String namespace, String name, String spec) {
        return Fixtures.object("apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: " + name
                + "\n  namespace: " + namespace + "\nspec:\n" + spec.indent(2));
    }

    private static KubeObject meshConfigMap(String name) {
        return Fixtures.object("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: istio-system\n"
                + "data:\n  mesh: |\n    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n");
    }

    private static String namespace(int i) {
        return String.format("ns-%04d", i);
    }

    private static KubeObject inNamespace(KubeObject object, String namespace) {
        ObjectNode json = object.json().deepCopy();
        ((ObjectNode) json.get("metadata")).put("namespace", namespace);
        return KubeObject.of(json);
    }

    private static long count(List<KubeObject> objects, String kind) {
        return objects.stream().filter(o -> o.kind().equals(kind)).count();
    }

    private ProxyPath path(KubeObject deployment) {
        return ProxyPath.resolve(view, WorkloadFacts.read(deployment, view).pod(), IpBlock.parseLiteral("10.10.0.5").orElseThrow(), 3128);
    }

    private List<String> ruleIds(KubeObject object) {
        return evaluate(object).findings().stream().map(Finding::ruleId).toList();
    }

    /** The inputs must be what the benchmark names say, or the numbers measure something else. */
    private static void require(String what, boolean holds) {
        if (!holds) {
            throw new IllegalStateException("benchmark input is wrong: expected " + what);
        }
    }

    private Decision evaluate(KubeObject object) {
        return evaluate(object, view);
    }

    private Decision evaluate(KubeObject object, ClusterView in) {
        try {
            return engine.evaluate(object, in);
        } catch (InvalidObjectException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Deployment of {@code namespace} whose one container sends its external calls through {@code httpsProxy}. */
    private static KubeObject deployment(String namespace, String httpsProxy) {
        return deployment(namespace, httpsProxy, ".svc,.cluster.local,localhost,127.0.0.1");
    }

    private static KubeObject deployment(String namespace, String httpsProxy, String noProxy) {
        return Fixtures.object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: billing
                  namespace: %s
                spec:
                  selector:
                    matchLabels: {app: billing}
                  template:
                    metadata:
                      labels: {app: billing}
                    spec:
                      containers:
                      - name: billing
                        image: registry.example/billing:1.0
                        env:
                        - name: HTTPS_PROXY
                          value: %s
                        - name: NO_PROXY
                          value: %s
                """.formatted(namespace, httpsProxy, noProxy));
    }

    @Benchmark
    public Decision cleanProxyEntry() throws InvalidObjectException {
        return engine.evaluate(cleanProxyEntry, view);
    }

    /** What {@code /validate} runs on the broken entry: the rules' findings, no fixes. */
    @Benchmark
    public Decision brokenProxyEntry() throws InvalidObjectException {
        return engine.judge(brokenProxyEntry, view);
    }

    /** What {@code /mutate} runs: the findings, the fixes applied and the rules run again until none is left, the patch. */
    @Benchmark
    public Decision brokenProxyEntryWithPatch() throws InvalidObjectException {
        return engine.evaluate(brokenProxyEntry, view);
    }

    @Benchmark
    public Decision redundantExternalEntry() throws InvalidObjectException {
        return engine.evaluate(externalEntry, view);
    }

    /**
     * PG107 on evidence, its worst case: the 10,000 entries and 10,000 Deployments in 100 namespaces, every one of
     * which can see the external entry and sends it through corp-proxy, with one of five NO_PROXY lists. No workload
     * reaches it directly, so every group is asked (500: 100 namespaces by 5 environments) before the warning.
     * A state of its own: the other benchmarks keep their view and heap.
     */
    @State(Scope.Benchmark)
    public static class WorkloadView {
        static final int WORKLOADS = 10_000;
        ClusterView view;

        @Setup
        public void setUp(RuleEvaluationBenchmark outer) {
            List<KubeObject> cluster = new ArrayList<>();
            for (int i = 0; i < VIEW_SIZE; i++) {
                cluster.add(Fixtures.serviceEntry("v1", "entry-" + i, "",
                        "hosts:\n- api-" + i + ".example.com\nports:\n- number: 443\n  name: tls\n  protocol: TLS\nresolution: DNS\n"));
            }
            for (int i = 0; i < WORKLOADS; i++) {
                cluster.add(Fixtures.object(deployment("ns-" + i % 100, "http://10.10.0.5:3128", ".svc,.cluster.local,localhost,10." + i % 5 + ".0.0/16")
                        .json().toString().replace("\"name\":\"billing\"", "\"name\":\"billing-" + i + "\"")));
            }
            cluster.add(Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()));
            view = IndexedClusterView.of(cluster, outer.engine.detector());
            Decision decision = outer.evaluate(outer.externalEntry, view);
            require("PG107 on the evidence of every workload", decision.findings().size() == 1
                    && decision.findings().get(0).message().contains("by all " + WORKLOADS + " workloads"));
            require("no PG109: every workload sees the TCP proxy entry, which saves it from the HTTP listener",
                    outer.evaluate(outer.httpEntryOnProxyPort, view).findings().stream().noneMatch(f -> f.ruleId().equals("PG109")));
        }
    }

    /**
     * PG109 for an HTTP entry on the proxy's port, its worst case: no workload is affected (each sees the TCP proxy
     * entry), so every workload on port 3128 must be answered for; 10,000 Deployments in 100 namespaces.
     */
    @Benchmark
    public Decision httpEntryOnProxyPortAmongWorkloads(WorkloadView workloads) throws InvalidObjectException {
        return engine.evaluate(httpEntryOnProxyPort, workloads.view);
    }

    @Benchmark
    public Decision redundantExternalEntryAmongWorkloads(WorkloadView workloads) throws InvalidObjectException {
        return engine.evaluate(externalEntry, workloads.view);
    }

    @Benchmark
    public Decision cleanDeployment() throws InvalidObjectException {
        return engine.evaluate(cleanDeployment, view);
    }

    @Benchmark
    public Decision brokenDeployment() throws InvalidObjectException {
        return engine.evaluate(brokenDeployment, view);
    }

    /** PG207: the proxy entries are exported everywhere, but the Deployment's Sidecar imports none of them. */
    @Benchmark
    public Decision hiddenProxyDeployment() throws InvalidObjectException {
        return engine.evaluate(hiddenProxyDeployment, view);
    }
}
