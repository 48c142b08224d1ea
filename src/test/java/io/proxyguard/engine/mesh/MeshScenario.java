package io.proxyguard.engine.mesh;

import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.CrdSchema;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.model.IpBlock;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.proxy.ProxyDetector;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The objects of the mesh tests, written as the manifests users apply: the guide's proxy entry (10.10.0.5:3128,
 * host my-company-proxy.com) in a namespace, Namespaces with labels, Pods, and the view ProxyGuard builds of them.
 * Every ServiceEntry and Sidecar of a view is first checked against Istio's CRD schema ({@link CrdSchema}).
 */
final class MeshScenario {

    static final byte[] PROXY_IP = IpBlock.parseLiteral("10.10.0.5").orElseThrow();
    static final int PROXY_PORT = 3128;

    private MeshScenario() {
    }

    /** A Pod of {@code namespace} with {@code metadata} lines (labels, annotations) and {@code spec} lines beside its container. */
    static String pod(String namespace, String metadata, String spec) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: cart
                  namespace: %s
                """.formatted(namespace) + metadata.indent(2) + "spec:\n" + spec.indent(2) + """
                  containers:
                  - name: cart
                    image: registry.example/cart:1.0
                """;
    }

    static PodMeta podMeta(String podYaml) {
        KubeObject pod = Fixtures.object(podYaml);
        return PodMeta.read(pod.ref().namespace(), pod.json().path("metadata"), pod.json().path("spec"));
    }

    /** The view of the documents of {@code yaml} under the configuration {@code config} (the example proxy plus any {@code mesh:} section). */
    static ClusterView view(ProxyGuardConfig config, String yaml) {
        List<KubeObject> objects = yaml.isBlank() ? List.of() : Fixtures.objects(yaml);
        objects.forEach(CrdSchema::accepted);
        return IndexedClusterView.of(objects, new ProxyDetector(config));
    }

    static ProxyGuardConfig config(String meshSection) {
        return Fixtures.config(Fixtures.EXAMPLE_CONFIG + meshSection);
    }

    /** Documents joined into one multi-document text. */
    static String documents(String... documents) {
        return String.join("---\n", documents);
    }

    /** {@code sees [egress/proxy]; hides [shop/other: exportTo ["."] of shop/other]}: what a pod's path to the proxy shows. */
    static String describe(ProxyPath path) {
        String visible = path.visibleEntries().stream().map(e -> e.ref().namespacedName()).collect(Collectors.joining(", "));
        String hidden = path.hiddenEntries().stream().map(h -> h.entry().ref().namespacedName() + ": " + h.reason())
                .collect(Collectors.joining("; "));
        return (visible.isEmpty() ? "" : "sees " + visible) + (visible.isEmpty() || hidden.isEmpty() ? "" : "; ")
                + (hidden.isEmpty() ? "" : "hides " + hidden);
    }
}
