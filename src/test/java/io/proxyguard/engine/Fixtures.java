package io.proxyguard.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.config.ConfigException;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.SafeYaml;

import java.util.List;

/** Builds test objects from YAML, so fixtures read like the manifests users write. */
public final class Fixtures {

    /** The configuration of the bundled examples: proxy corp-proxy at 10.10.0.5:3128, host my-company-proxy.com. */
    public static final String EXAMPLE_CONFIG = """
            proxies:
              - name: corp-proxy
                address: 10.10.0.5
                port: 3128
                hosts: [my-company-proxy.com]
            """;

    private Fixtures() {
    }

    public static ProxyGuardConfig config(String yaml) {
        try {
            return ConfigLoader.parse(yaml, "test-config");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ProxyGuardConfig exampleConfig() {
        return config(EXAMPLE_CONFIG);
    }

    public static KubeObject object(String yaml) {
        try {
            return KubeObject.of((ObjectNode) SafeYaml.readOne(yaml, "fixture"));
        } catch (ManifestException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Every document of a multi-document YAML text ({@code ---} between them), in order. */
    public static List<KubeObject> objects(String yaml) {
        try {
            return SafeYaml.readAll(yaml, "fixture").stream().map(node -> KubeObject.of((ObjectNode) node)).toList();
        } catch (ManifestException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A ServiceEntry of {@code apiVersion} named {@code name} in namespace {@code test}, with the given spec body (indented 2). */
    public static KubeObject serviceEntry(String apiVersion, String name, String annotations, String spec) {
        return object("apiVersion: networking.istio.io/" + apiVersion + "\n"
                + "kind: ServiceEntry\n"
                + "metadata:\n"
                + "  name: " + name + "\n"
                + "  namespace: test\n"
                + (annotations.isEmpty() ? "" : "  annotations:\n" + annotations.indent(4))
                + "spec:\n"
                + spec.indent(2));
    }

    /** The guide's proxy entry (v1, resolution NONE) with one spec line replaced or added. */
    public static String guideSpec() {
        return """
                hosts:
                - my-company-proxy.com
                addresses:
                - 10.10.0.5/32
                ports:
                - number: 3128
                  name: tcp
                  protocol: TCP
                location: MESH_EXTERNAL
                resolution: NONE
                """;
    }

    /** The guide's proxy entry (10.10.0.5:3128, host my-company-proxy.com) named {@code name} in {@code namespace}, with {@code extraSpec} lines. */
    public static String proxyEntry(String namespace, String name, String extraSpec) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  hosts: [my-company-proxy.com]
                  addresses: [10.10.0.5/32]
                  ports:
                  - {number: 3128, name: tcp, protocol: TCP}
                  location: MESH_EXTERNAL
                  resolution: NONE
                """.formatted(name, namespace) + extraSpec.indent(2);
    }

    /**
     * An HTTP ServiceEntry {@code shop/proxy} for the proxy 10.10.6.6:3128: the PG101 mistake, as a cluster holds it
     * when it was made before ProxyGuard (what the audit finds, and what a workload's HTTPS_PROXY may point at).
     */
    public static final String HTTP_PROXY_ENTRY_IN_SHOP = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: proxy, namespace: shop}
            spec:
              hosts: [my-company-proxy.com]
              addresses: [10.10.6.6/32]
              ports: [{number: 3128, name: http, protocol: HTTP}]
              location: MESH_EXTERNAL
            """;

    /** A Sidecar resource {@code namespace/name} with {@code spec} (its lines, unindented). */
    public static String sidecar(String namespace, String name, String spec) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: %s
                  namespace: %s
                spec:
                """.formatted(name, namespace) + spec.indent(2);
    }

    /** Istio's mesh ConfigMap {@code name} ({@code istio}, {@code istio-REV}) in istio-system, with {@code mesh} as its key {@code mesh}. */
    public static String meshConfigMap(String name, String mesh) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: istio-system
                data:
                  mesh: |
                """.formatted(name) + mesh.indent(4);
    }

    /** A Namespace with {@code labels}, a YAML flow mapping such as {@code {istio-injection: enabled}}. */
    public static String namespace(String name, String labels) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                  labels: %s
                """.formatted(name, labels);
    }
}
