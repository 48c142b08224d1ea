package io.proxyguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.proxyguard.cluster.WatchedResource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * The cluster of {@code bench/audit-latency.sh}: fabric8's mock API server in CRUD mode (lists, watches, Leases and
 * PolicyReports, as {@code serve} with a background audit needs them) holding {@code N} ServiceEntries (default
 * 10,000: external HTTPS APIs by name, the most common kind) across 100 namespaces. Writes a kubeconfig once they are all in, then runs until killed.
 */
public final class AuditLoadCluster {

    private AuditLoadCluster() {
    }

    /** An entry as most clusters hold them: an external HTTPS API by name, port 443, resolved by DNS. */
    private static JsonNode externalEntry(KubernetesClient client, int i) {
        return client.getKubernetesSerialization().unmarshal("""
                {"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry","metadata":{"name":"api-%d","namespace":"ns-%d"},
                 "spec":{"hosts":["api-%d.example.com"],"ports":[{"number":443,"name":"https","protocol":"TLS"}],
                 "location":"MESH_EXTERNAL","resolution":"DNS"}}
                """.formatted(i, i % 100, i), JsonNode.class);
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(args[0]);
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            var operation = client.genericKubernetesResources(WatchedResource.SERVICE_ENTRY_V1.context());
            for (int i = 0; i < entries; i++) {
                ObjectNode entry = (ObjectNode) externalEntry(client, i);
                GenericKubernetesResource item = client.getKubernetesSerialization().convertValue(entry, GenericKubernetesResource.class);
                operation.inNamespace("ns-" + (i % 100)).resource(item).create();
                if ((i + 1) % 1000 == 0) {
                    System.err.println("AuditLoadCluster: " + (i + 1) + " ServiceEntries created");
                }
            }
        }
        BenchKubeconfig.write(kubeconfig, server.url("/"), "proxyguard");
        Thread.currentThread().join();
    }
}
