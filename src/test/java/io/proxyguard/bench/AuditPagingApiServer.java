package io.proxyguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A stand-in API server for {@code bench/audit-memory.sh}: fabric8's MockWebServer with a dispatcher that lists as
 * a real API server does, in pages when asked ({@code limit} and {@code continue}), everything at once when not
 * (which is how {@code audit} listed before it paged). It serves {@code N} ServiceEntries (a proxy entry each, with
 * a last-applied annotation and managedFields), Deployments and ReplicaSet-owned Pods as the API server sends them
 * (src/test/resources/cluster/*-as-served.yaml, each copy with its own name, namespace among 500, uid), generated
 * page by page so that the server's own memory does not grow with the count; every other list is empty.
 *
 * <p>Arguments: the kubeconfig file to write, then ServiceEntries, Deployments, Pods (default 5,000, 5,000, 10,000:
 * 20,000 objects). Runs until killed.
 */
public final class AuditPagingApiServer {

    private static final int NAMESPACES = 500;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Map<String, Kind> kinds = new HashMap<>();

    private record Kind(int count, IntFunction<JsonNode> item) {
    }

    private AuditPagingApiServer(int serviceEntries, int deployments, int pods) throws IOException {
        ObjectNode deployment = (ObjectNode) SERIALIZATION.unmarshal(resource("deployment-as-served.yaml"), JsonNode.class);
        ObjectNode pod = (ObjectNode) SERIALIZATION.unmarshal(resource("pod-as-served.yaml"), JsonNode.class);
        kinds.put("/apis/networking.istio.io/v1/serviceentries", new Kind(serviceEntries, AuditPagingApiServer::serviceEntry));
        kinds.put("/apis/apps/v1/deployments", new Kind(deployments, i -> named(deployment, "checkout", i)));
        kinds.put("/api/v1/pods", new Kind(pods, i -> named(pod, "checkout-7d9f8b6c5d", i)));
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(args[0]);
        AuditPagingApiServer api = new AuditPagingApiServer(count(args, 1, 5_000), count(args, 2, 5_000), count(args, 3, 10_000));
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return api.answer(request.getPath());
            }
        });
        server.start();
        BenchKubeconfig.write(kubeconfig, "http://" + server.getHostName() + ":" + server.getPort(), "default");
        Thread.currentThread().join();
    }

    private MockResponse answer(String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        Map<String, String> query = new HashMap<>();
        if (question >= 0) {
            for (String pair : pathAndQuery.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                query.put(pair.substring(0, Math.max(equals, 0)), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        if (query.containsKey("watch")) {
            return new MockResponse().setResponseCode(404);
        }
        Kind kind = kinds.getOrDefault(path, new Kind(0, i -> null));
        int from = Integer.parseInt(query.getOrDefault("continue", "0"));
        int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : Integer.MAX_VALUE;
        int to = (int) Math.min(kind.count(), (long) from + limit);
        StringBuilder body = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"1\"");
        if (to < kind.count()) {
            body.append(",\"continue\":\"").append(to).append('"');
        }
        body.append("},\"items\":[");
        for (int i = from; i < to; i++) {
            body.append(i > from ? "," : "").append(kind.item().apply(i));
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body.append("]}").toString());
    }

    private static JsonNode named(ObjectNode template, String name, int i) {
        ObjectNode copy = template.deepCopy();
        ObjectNode metadata = (ObjectNode) copy.get("metadata");
        metadata.put("name", name + "-" + i).put("namespace", "ns-" + (i % NAMESPACES)).put("uid", "00000000-0000-0000-0000-" + "%012d".formatted(i));
        return copy;
    }

    static JsonNode serviceEntry(int i) {
        String ip = "10.%d.%d.%d".formatted(100 + i / 65_536, (i / 256) % 256, i % 256);
        String spec = "{\"hosts\":[\"proxy-" + i + ".example\"],\"addresses\":[\"" + ip + "/32\"],\"ports\":[{\"number\":3128,\"name\":\"tcp\","
                + "\"protocol\":\"TCP\"}],\"location\":\"MESH_EXTERNAL\",\"resolution\":\"NONE\"}";
        String json = """
                {"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry","metadata":{"name":"proxy-%d","namespace":"ns-%d",
                 "uid":"10000000-0000-0000-0000-%012d","resourceVersion":"%d","generation":1,"creationTimestamp":"2026-10-02T08:14:55Z",
                 "annotations":{"kubectl.kubernetes.io/last-applied-configuration":%s},
                 "managedFields":[{"apiVersion":"networking.istio.io/v1","fieldsType":"FieldsV1","manager":"kubectl-client-side-apply",
                   "operation":"Update","time":"2026-10-02T08:14:55Z","fieldsV1":{"f:metadata":{"f:annotations":{".":{},
                   "f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{".":{},"f:addresses":{},"f:hosts":{},
                   "f:location":{},"f:ports":{},"f:resolution":{}}}}]},
                 "spec":%s}
                """.formatted(i, i % NAMESPACES, i, 1000 + i, SERIALIZATION.asJson(spec), spec);
        return SERIALIZATION.unmarshal(json, JsonNode.class);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AuditPagingApiServer.class.getResourceAsStream("/cluster/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int count(String[] args, int index, int otherwise) {
        return args.length > index ? Integer.parseInt(args[index]) : otherwise;
    }
}
