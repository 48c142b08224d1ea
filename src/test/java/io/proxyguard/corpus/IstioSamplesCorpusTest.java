package io.proxyguard.corpus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.config.ConfigException;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.manifest.InputResult;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.manifest.SafeYaml;
import io.proxyguard.offline.OfflineValidator;
import io.proxyguard.report.ValidationReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule over manifests no one here wrote: Istio's own {@code samples/} directory (Apache-2.0, its LICENSE
 * beside it), with the examples' configuration (corp-proxy 10.10.0.5:3128, proxiedHosts "*"). The corpus is fetched
 * material and stays out of git: the test reads it from {@code -Dproxyguard.corpus.istioSamples=DIR} (default
 * {@code ../shared/corpus/istio-samples}, next to the project) and is skipped when it is not there. Helm templates
 * (files with {@code {{}) and files that are no manifests (bookinfo's ratings_data.json) are left out.
 *
 * <p>Every finding is listed below with the reason it is right. Before PG107 judged on evidence, the same input got
 * "delete it" on all nine ServiceEntries, two of which no HTTPS proxy can carry (issue 19).
 */
class IstioSamplesCorpusTest {

    private static final Path CORPUS = IstioSamples.location();

    private static final List<String> SERVICE_ENTRIES = List.of("googleapis", "httpbin-ext-authz-http", "httpbin-ext-authz-grpc",
            "make-aptget-work", "github-https", "github-tcp", "python-https", "pypi-https", "pythonhosted-https");

    private final PolicyEngine engine = new PolicyEngine(loadExampleConfig());

    @BeforeEach
    void corpusIsThere() {
        IstioSamples.assumePresent();
    }

    @Test
    void theWholeDirectoryAtOnceHasNoFinding() throws IOException {
        List<ManifestDocument> documents = manifests().stream().flatMap(file -> read(file).stream()).flatMap(List::stream).toList();

        ValidationReport report = new OfflineValidator(engine).validate(List.of(InputResult.read("corpus", documents))).report();

        assertThat(serviceEntryNames(documents)).containsExactlyInAnyOrderElementsOf(SERVICE_ENTRIES);
        assertThat(report.errors()).isEmpty();
        // All samples together, as one `kubectl apply -R -f samples/` into one namespace would put them. The sample
        // workloads (curl, sleep, httpbin, productpage, ...) set no proxy variable, every entry is exported to them
        // (no exportTo), so they reach github.com, pypi.org, deb.debian.org and www.googleapis.com directly through
        // their sidecars: exactly what those entries are for. PG107 keeps all nine. No other rule fires: no sample is
        // a proxy entry, none sets a proxy variable, none declares HTTP on the proxy's port 3128.
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void eachSampleAloneIsJudgedFromTheConfiguration() throws IOException {
        List<String> findings = new ArrayList<>();
        for (Path file : manifests()) {
            Optional<List<ManifestDocument>> documents = read(file);
            documents.ifPresent(docs -> new OfflineValidator(engine).validate(List.of(InputResult.read("corpus", docs))).report().findings().forEach(located ->
                    findings.add(CORPUS.relativize(file) + " " + describe(located.finding()))));
        }

        // Each file alone, as `kubectl apply -f FILE` meets a cluster ProxyGuard knows nothing more of. Only the files
        // of samples/external and bookinfo's egress rule hold external entries without a workload beside them, so no
        // workload in view can see them and the configuration decides: proxiedHosts "*" says every external host is
        // reached through corp-proxy, and the message says that this is judged from proxiedHosts. Under that stated
        // assumption each is right: a sidecar that only sees CONNECTs to 10.10.0.5:3128 never uses these entries.
        assertThat(findings).containsExactlyInAnyOrder(
                // HTTP on 80 for www.googleapis.com (with a VirtualService and a DestinationRule for TLS origination):
                // the HTTP and HTTPS ports are both web ports, and a client sending through the proxy skips both.
                "samples/bookinfo/networking/egress-rule-google-apis.yaml googleapis PG107 spec.hosts: www.googleapis.com is "
                        + "reached through proxy corp-proxy (10.10.0.5:3128) (judged from proxiedHosts: no workloads in view)",
                // apt over plain HTTP to five mirrors: apt reads http_proxy; one finding names all five hosts.
                "samples/external/aptget.yaml make-aptget-work PG107 spec.hosts: deb.debian.org and 4 more are reached "
                        + "through proxy corp-proxy (10.10.0.5:3128) (judged from proxiedHosts: no workloads in view)",
                // git over HTTPS to github.com. Its sibling github-tcp (TCP 22 to GitHub's ranges, git over SSH) is no
                // candidate: no HTTPS_PROXY carries SSH, so it is kept.
                "samples/external/github.yaml github-https PG107 spec.hosts: github.com is reached through proxy corp-proxy "
                        + "(10.10.0.5:3128) (judged from proxiedHosts: no workloads in view)",
                // pip's three HTTPS hosts, one entry each; pip reads HTTPS_PROXY.
                "samples/external/pypi.yaml python-https PG107 spec.hosts: pypi.python.org is reached through proxy "
                        + "corp-proxy (10.10.0.5:3128) (judged from proxiedHosts: no workloads in view)",
                "samples/external/pypi.yaml pypi-https PG107 spec.hosts: pypi.org is reached through proxy corp-proxy "
                        + "(10.10.0.5:3128) (judged from proxiedHosts: no workloads in view)",
                "samples/external/pypi.yaml pythonhosted-https PG107 spec.hosts: files.pythonhosted.org is reached through "
                        + "proxy corp-proxy (10.10.0.5:3128) (judged from proxiedHosts: no workloads in view)");
        // samples/extauthz/local-ext-authz.yaml: its two entries route to endpoint 127.0.0.1 (a server in the same
        // pod), and the httpbin Deployment beside them reaches them directly anyway. Nothing else in samples/ fires.
    }

    @Test
    void entriesNoProxyCanCarryAreKeptEvenWhenEveryWorkloadProxies() throws Exception {
        List<KubeObject> objects = new ArrayList<>();
        for (String sample : List.of("samples/extauthz/local-ext-authz.yaml", "samples/external/github.yaml")) {
            read(CORPUS.resolve(sample)).orElseThrow().stream().flatMap(d -> d.objects().stream())
                    .filter(o -> o.kind().equals("ServiceEntry")).forEach(objects::add);
        }
        // A client that sends everything but in-mesh names through corp-proxy (https_proxy and http_proxy, as curl
        // reads them): the evidence that makes github-https redundant. It must not reach the entries for a server in
        // the pod itself (endpoints 127.0.0.1, HTTP 8000 and GRPC 9000) nor git over SSH (TCP 22).
        objects.add(KubeObject.of((ObjectNode) SafeYaml.readOne("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: client}
                spec:
                  template:
                    spec:
                      containers:
                      - name: client
                        env:
                        - {name: https_proxy, value: 'http://10.10.0.5:3128'}
                        - {name: http_proxy, value: 'http://10.10.0.5:3128'}
                        - {name: no_proxy, value: '.svc,.cluster.local,localhost'}
                """, "client")));
        List<ManifestDocument> documents = objects.stream().map(o -> new ManifestDocument("corpus", 1, o.json())).toList();

        List<String> findings = new OfflineValidator(engine).validate(List.of(InputResult.read("corpus", documents))).report().findings().stream()
                .map(located -> describe(located.finding())).toList();

        assertThat(findings).containsExactly("github-https PG107 spec.hosts: github.com is sent through corp-proxy "
                + "(10.10.0.5:3128) by the only workload that can see this entry, client");
    }

    /** {@code name RULE path: message}, the message up to its consequence (", so Istio never sees ..."). */
    private static String describe(Finding finding) {
        String message = finding.message();
        int consequence = message.indexOf(", so Istio never sees");
        return finding.resource().namespacedName() + " " + finding.ruleId() + " " + finding.path() + ": "
                + (consequence < 0 ? message : message.substring(0, consequence));
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS.resolve("samples"))) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches(".*\\.(ya?ml|json)"))
                    .filter(f -> !isHelmTemplate(f)).sorted().toList();
        }
    }

    /** A file with {@code {{}: a Helm template, not a manifest (validate does not render templates). */
    private static boolean isHelmTemplate(Path file) {
        try {
            return Files.readString(file).contains("{{");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's documents, or empty when it does not parse (a data file such as ratings_data.json). */
    private static Optional<List<ManifestDocument>> read(Path file) {
        try {
            return Optional.of(new ManifestReader(InputStream.nullInputStream()).read(List.of(file.toString())));
        } catch (ManifestException e) {
            return Optional.empty();
        }
    }

    private static List<String> serviceEntryNames(List<ManifestDocument> documents) {
        return documents.stream().flatMap(d -> d.objects().stream()).filter(o -> o.kind().equals("ServiceEntry"))
                .map(o -> o.ref().name()).toList();
    }

    private static ProxyGuardConfig loadExampleConfig() {
        try {
            return ConfigLoader.load(Path.of("examples/proxyguard.yaml"));
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }
}
