package io.proxyguard.bench;

import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.Decision;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
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
 * entry, a broken one (fixes and patch computed), an external entry judged for PG107 (also among 10,000 workloads), and a Deployment
 * whose proxy variables are clean or broken (unknown proxy, credentials in plain env), each against a
 * cluster view of 10,000 ServiceEntries. Run: {@code bench/rules.sh}.
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

    private PolicyEngine engine;
    private ClusterView view;
    private KubeObject cleanProxyEntry;
    private KubeObject brokenProxyEntry;
    private KubeObject externalEntry;
    private KubeObject cleanDeployment;
    private KubeObject brokenDeployment;

    @Setup
    public void setUp() {
        ProxyGuardConfig config = Fixtures.exampleConfig();
        engine = new PolicyEngine(config);
        List<KubeObject> cluster = new ArrayList<>();
        for (int i = 0; i < VIEW_SIZE; i++) {
            boolean proxy = i % 1000 == 0;
            cluster.add(Fixtures.serviceEntry("v1", "entry-" + i, "", proxy
                    ? Fixtures.guideSpec().replace("my-company-proxy.com", "proxy-" + i + ".corp")
                    : "hosts:\n- api-" + i + ".example.com\nports:\n- number: 443\n  name: tls\n  protocol: TLS\nresolution: DNS\n"));
        }
        view = IndexedClusterView.of(cluster, engine.detector());
        cleanProxyEntry = Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec());
        brokenProxyEntry = Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()
                .replace("protocol: TCP", "protocol: HTTP").replace("10.10.0.5/32", "10.10.0.5"));
        externalEntry = Fixtures.serviceEntry("v1", "wikipedia", "",
                "hosts:\n- en.wikipedia.org\nports:\n- number: 443\n  name: tls\n  protocol: TLS\nresolution: DNS\n");
        cleanDeployment = deployment("http://10.10.0.5:3128");
        brokenDeployment = deployment("http://svc-billing:Winter2026@10.20.0.9:3128/");
        require("clean proxy entry has no denials", evaluate(cleanProxyEntry).denials().isEmpty());
        require("broken proxy entry is patched", evaluate(brokenProxyEntry).isPatched());
        require("clean Deployment has no denials", evaluate(cleanDeployment).denials().isEmpty());
        require("broken Deployment has findings", !evaluate(brokenDeployment).findings().isEmpty());
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

    /** A Deployment whose one container sends its external calls through {@code httpsProxy}. */
    private static KubeObject deployment(String httpsProxy) {
        return deployment(httpsProxy, ".svc,.cluster.local,localhost,127.0.0.1");
    }

    private static KubeObject deployment(String httpsProxy, String noProxy) {
        return Fixtures.object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: billing
                  namespace: test
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
                """.formatted(httpsProxy, noProxy));
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
                cluster.add(Fixtures.object(deployment("http://10.10.0.5:3128", ".svc,.cluster.local,localhost,10." + i % 5 + ".0.0/16")
                        .json().toString().replace("\"name\":\"billing\"", "\"name\":\"billing-" + i + "\"")
                        .replace("\"namespace\":\"test\"", "\"namespace\":\"ns-" + i % 100 + "\"")));
            }
            view = IndexedClusterView.of(cluster, outer.engine.detector());
            Decision decision = outer.evaluate(outer.externalEntry, view);
            require("PG107 on the evidence of every workload", decision.findings().size() == 1
                    && decision.findings().get(0).message().contains("by all " + WORKLOADS + " workloads"));
        }
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
}
