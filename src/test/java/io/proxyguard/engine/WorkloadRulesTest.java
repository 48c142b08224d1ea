package io.proxyguard.engine;

import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PG2xx on every workload kind, every env form. The view holds the guide's proxy entry (10.10.0.5:3128, TCP),
 * an HTTP entry for a second proxy (10.10.6.6:3129, a port of its own: on 3128 it would be PG208's trap for every
 * other proxy on that port) and a ConfigMap with proxy settings.
 */
class WorkloadRulesTest {

    private static final String GOOD_NO_PROXY = "- name: NO_PROXY\n  value: .svc,.cluster.local,localhost\n";

    private final PolicyEngine engine = new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n"));
    private final ClusterView view = IndexedClusterView.of(List.of(
            Fixtures.serviceEntry("v1", "proxy", "", Fixtures.guideSpec()),
            Fixtures.serviceEntry("v1", "http-proxy", "", Fixtures.guideSpec()
                    .replace("10.10.0.5/32", "10.10.6.6/32").replace("protocol: TCP", "protocol: HTTP").replace("3128", "3129")
                    .replace("my-company-proxy.com", "proxy-6.corp")),
            Fixtures.object("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: proxy-env, namespace: test}
                    data: {HTTPS_PROXY: "http://10.10.0.5:3128", NO_PROXY: ".svc,.cluster.local"}
                    """),
            Fixtures.object("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: bad-proxy-env, namespace: test}
                    data: {PROXY_URL: "http://10.99.0.1:3128"}
                    """)), engine.detector());

    record Case(String name, String env, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case env(String name, String env, String... expected) {
        return new Case(name, env, List.of(expected));
    }

    static List<Case> cases() {
        return List.of(
                env("the guide's IP:PORT", "- name: HTTPS_PROXY\n  value: 10.10.0.5:3128\n" + GOOD_NO_PROXY),
                env("http:// with a trailing slash", "- name: HTTPS_PROXY\n  value: http://10.10.0.5:3128/\n" + GOOD_NO_PROXY),
                env("lower-case names", "- name: https_proxy\n  value: http://10.10.0.5:3128\n- name: no_proxy\n  value: .svc,.cluster.local\n"),
                env("mixed-case names are not proxy variables", "- name: Https_Proxy\n  value: proxy.corp:1\n"),
                env("no proxy at all", "- name: FOO\n  value: bar\n"),
                env("PG201 unknown proxy IP", "- name: HTTPS_PROXY\n  value: 10.20.0.9:3128\n" + GOOD_NO_PROXY, "PG201@env[0].value"),
                env("PG201 known IP on another port", "- name: HTTP_PROXY\n  value: 10.10.0.5:8080\n" + GOOD_NO_PROXY, "PG201@env[0].value"),
                env("PG201 once per endpoint per container", "- name: HTTPS_PROXY\n  value: 10.20.0.9:3128\n- name: HTTP_PROXY\n  value: http://10.20.0.9:3128\n"
                        + GOOD_NO_PROXY, "PG201@env[0].value"),
                env("PG202 host name", "- name: HTTPS_PROXY\n  value: http://proxy.corp.example:3128\n" + GOOD_NO_PROXY, "PG202@env[0].value"),
                env("PG203 credentials", "- name: HTTPS_PROXY\n  value: http://user:p%40ss@10.10.0.5:3128\n" + GOOD_NO_PROXY, "PG203@env[0].value"),
                env("PG203 not for a secretKeyRef", "- name: HTTPS_PROXY\n  valueFrom:\n    secretKeyRef: {name: proxy, key: url}\n" + GOOD_NO_PROXY),
                env("PG204 NO_PROXY missing", "- name: HTTPS_PROXY\n  value: 10.10.0.5:3128\n", "PG204@env[0].value"),
                env("PG204 NO_PROXY lacks .cluster.local", "- name: HTTPS_PROXY\n  value: 10.10.0.5:3128\n- name: NO_PROXY\n  value: .svc\n",
                        "PG204@env[1].value"),
                env("NO_PROXY without dots counts", "- name: HTTPS_PROXY\n  value: 10.10.0.5:3128\n- name: NO_PROXY\n  value: svc, cluster.local\n"),
                env("NO_PROXY * covers everything", "- name: HTTPS_PROXY\n  value: 10.10.0.5:3128\n- name: NO_PROXY\n  value: '*'\n"),
                env("PG205 space in value", "- name: HTTPS_PROXY\n  value: 10.10.0.5 3128\n" + GOOD_NO_PROXY, "PG205@env[0].value"),
                env("PG205 a path", "- name: ALL_PROXY\n  value: http://10.10.0.5:3128/proxy\n" + GOOD_NO_PROXY, "PG205@env[0].value"),
                env("PG205 empty", "- name: HTTPS_PROXY\n  value: ''\n" + GOOD_NO_PROXY, "PG205@env[0].value"),
                env("PG206 proxy entry is HTTP", "- name: HTTPS_PROXY\n  value: 10.10.6.6:3129\n" + GOOD_NO_PROXY, "PG206@env[0].value"),
                env("IPv6 proxy in brackets", "- name: HTTPS_PROXY\n  value: http://[2001:db8::9]:3128\n" + GOOD_NO_PROXY, "PG201@env[0].value"),
                env("configMapKeyRef resolved through the view",
                        "- name: HTTPS_PROXY\n  valueFrom:\n    configMapKeyRef: {name: bad-proxy-env, key: PROXY_URL}\n" + GOOD_NO_PROXY,
                        "PG201@env[0].valueFrom"),
                env("unknown ConfigMap: value unknown, nothing to say", "- name: HTTPS_PROXY\n  valueFrom:\n    configMapKeyRef: {name: elsewhere, key: x}\n"
                        + GOOD_NO_PROXY),
                new Case("envFrom ConfigMap with a clean setting", "ENVFROM:proxy-env", List.of()),
                new Case("env overrides envFrom", "ENVFROM:proxy-env\n- name: HTTPS_PROXY\n  value: 10.20.0.9:3128\n",
                        List.of("PG201@env[0].value")));
    }

    static final List<String> KINDS = List.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob");

    static Stream<Arguments> casesForEveryKind() {
        return cases().stream().flatMap(c -> KINDS.stream().map(k -> Arguments.of(c, k)));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesForEveryKind")
    void findsExactlyTheExpectedRules(Case testCase, String kind) throws Exception {
        Decision decision = engine.evaluate(workload(kind, testCase.env()), view);

        String prefix = podSpecPath(kind) + ".containers[0].";
        assertThat(decision.findings()).map(f -> f.ruleId() + "@" + f.path().replace(prefix, ""))
                .containsExactlyInAnyOrderElementsOf(testCase.expected());
        assertThat(decision.findings()).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.WARN));
        assertThat(decision.isPatched()).isFalse();
    }

    @Test
    void credentialsNeverAppearInAnyMessage() throws Exception {
        Decision decision = engine.evaluate(workload("Deployment",
                "- name: HTTPS_PROXY\n  value: http://alice:Sup3rSecret@10.20.0.9:3128\n- name: HTTP_PROXY\n  value: http://bob:Hunter2@proxy.corp:3128\n"
                        + "- name: ALL_PROXY\n  value: 'http://carol:0penSesame@10.10.0.5:3128 extra'\n"), view);

        assertThat(decision.findings()).extracting(Finding::ruleId).contains("PG201", "PG202", "PG203", "PG204", "PG205");
        assertThat(decision.findings()).allSatisfy(f -> assertThat(f.message())
                .doesNotContain("Sup3rSecret", "alice", "Hunter2", "bob", "0penSesame", "carol"));
        assertThat(decision.findings()).filteredOn(f -> f.ruleId().equals("PG203")).first()
                .extracting(Finding::message).asString().contains("http://***@10.20.0.9:3128");
    }

    @Test
    void initContainersAndSeveralContainersAreChecked() throws Exception {
        KubeObject pod = Fixtures.object("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: test}
                spec:
                  initContainers:
                  - name: init
                    env: [{name: HTTPS_PROXY, value: "proxy.corp:3128"}, {name: NO_PROXY, value: ".svc,.cluster.local"}]
                  containers:
                  - name: app
                    env: [{name: HTTPS_PROXY, value: "10.10.0.5:3128"}, {name: NO_PROXY, value: ".svc,.cluster.local"}]
                  - name: sidecar
                    env: [{name: HTTPS_PROXY, value: "10.10.0.5:3128"}]
                """);

        assertThat(engine.evaluate(pod, view).findings()).map(f -> f.ruleId() + "@" + f.path())
                .containsExactlyInAnyOrder("PG202@spec.initContainers[0].env[0].value", "PG204@spec.containers[1].env[0].value");
    }

    @Test
    void workloadsMakeTheirProxysEntryAProxyEntry() throws Exception {
        KubeObject entry = Fixtures.serviceEntry("v1", "odd-port-proxy", "", Fixtures.guideSpec()
                .replace("number: 3128", "number: 9999").replace("10.10.0.5/32", "10.30.0.1/32")
                .replace("protocol: TCP", "protocol: HTTP").replace("my-company-proxy.com", "odd.corp"));
        KubeObject user = workload("Deployment", "- name: HTTPS_PROXY\n  value: 10.30.0.1:9999\n" + GOOD_NO_PROXY);
        PolicyEngine noProxies = new PolicyEngine(Fixtures.config("proxyPorts: []\n"));

        assertThat(noProxies.evaluate(entry, ClusterView.EMPTY).findings()).isEmpty();
        ClusterView withUser = IndexedClusterView.of(List.of(entry, user), noProxies.detector());
        assertThat(noProxies.evaluate(entry, withUser).findings()).extracting(Finding::ruleId).containsExactly("PG101");
    }

    @Test
    void pg201SpeaksFromAnAbsenceOnlyInAViewThatWasFilled() throws Exception {
        KubeObject user = workload("Deployment", "- name: HTTPS_PROXY\n  value: 10.20.0.9:3128\n" + GOOD_NO_PROXY);

        assertThat(engine.evaluate(user, IndexedClusterView.of(List.of(), engine.detector())).findings())
                .extracting(Finding::ruleId).containsExactly("PG201");
        assertThat(engine.evaluate(user, ClusterView.EMPTY).findings()).as("no cluster view").isEmpty();
        assertThat(engine.evaluate(user, IndexedClusterView.unfilled(engine.detector())).findings()).as("not listed yet").isEmpty();
    }

    static String podSpecPath(String kind) {
        return switch (kind) {
            case "Pod" -> "spec";
            case "CronJob" -> "spec.jobTemplate.spec.template.spec";
            default -> "spec.template.spec";
        };
    }

    static KubeObject workload(String kind, String env) {
        String apiVersion = switch (kind) {
            case "Pod" -> "v1";
            case "Job", "CronJob" -> "batch/v1";
            default -> "apps/v1";
        };
        List<String> lines = new ArrayList<>();
        String envBlock = env;
        String envFrom = "";
        if (env.startsWith("ENVFROM:")) {
            String first = env.lines().findFirst().orElseThrow();
            envFrom = "envFrom:\n- configMapRef: {name: " + first.substring("ENVFROM:".length()) + "}\n";
            envBlock = env.substring(first.length()).strip() + "\n";
        }
        String container = "- name: app\n  image: registry.example/app:1\n"
                + envFrom.indent(2)
                + (envBlock.isBlank() ? "" : "  env:\n" + envBlock.indent(2));
        String podSpec = "containers:\n" + container;
        String body = switch (kind) {
            case "Pod" -> "spec:\n" + podSpec.indent(2);
            case "CronJob" -> "spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n" + podSpec.indent(10);
            default -> "spec:\n  template:\n    spec:\n" + podSpec.indent(6);
        };
        lines.add("apiVersion: " + apiVersion);
        lines.add("kind: " + kind);
        lines.add("metadata: {name: w, namespace: test}");
        return Fixtures.object(String.join("\n", lines) + "\n" + body);
    }
}
