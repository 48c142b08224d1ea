package io.proxyguard.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

/**
 * Just enough of a Kubernetes API server, on loopback, to start {@code proxyguard serve}'s cluster view against a
 * large cluster the way a real one serves it: lists in pages ({@code limit} and {@code continue}, which fabric8's
 * CRUD mock server ignores, sending everything at once), watches that fabric8's mock server opens (over its
 * websocket) and that bring no events, every other watched resource empty. The objects are
 * {@link GeneratedObjects}' JSON text, rendered once.
 *
 * <p>Run by {@code bench/large-cluster.sh}: arguments ConfigMaps, of which 500 KB, ServiceEntries, and the kubeconfig
 * file to write for {@code serve --kubeconfig}. Serves until killed.
 */
public final class PagingApiServer extends Dispatcher {

    private final Map<String, List<String>> itemsByPlural;
    private final KubernetesMixedDispatcher watches = new KubernetesMixedDispatcher(new HashMap<>());

    private PagingApiServer(Map<String, List<String>> itemsByPlural) {
        this.itemsByPlural = itemsByPlural;
    }

    public static void main(String[] args) throws Exception {
        int configMaps = Integer.parseInt(args[0]);
        int largeConfigMaps = Integer.parseInt(args[1]);
        int serviceEntries = Integer.parseInt(args[2]);
        Path kubeconfig = Path.of(args[3]);
        Map<String, List<String>> items = new HashMap<>();
        items.put("configmaps", IntStream.range(0, configMaps).mapToObj(i -> GeneratedObjects.configMap(i, configMaps, largeConfigMaps)).toList());
        items.put("serviceentries", IntStream.range(0, serviceEntries).mapToObj(GeneratedObjects::serviceEntry).toList());

        MockWebServer server = new MockWebServer();
        server.setDispatcher(new PagingApiServer(items));
        server.start(InetAddress.getLoopbackAddress(), 0);
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: bench, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: c, context: {cluster: bench, user: u}}]
                current-context: c
                """.formatted(server.getPort()));
        System.err.printf("serving %,d ConfigMaps (%,d of 500 KB) and %,d ServiceEntries on port %d%n",
                configMaps, largeConfigMaps, serviceEntries, server.getPort());
        new CountDownLatch(1).await();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        URI uri = URI.create(request.getPath());
        Map<String, String> query = query(uri.getRawQuery());
        if ("true".equals(query.get("watch"))) {
            return watches.dispatch(request);
        }
        String[] segments = uri.getPath().split("/");
        boolean collection = "GET".equals(request.getMethod()) && (segments.length == 4 && segments[1].equals("api")
                || segments.length == 5 && segments[1].equals("apis"));
        if (!collection) {
            return new MockResponse().setResponseCode(404);
        }
        List<String> items = itemsByPlural.getOrDefault(segments[segments.length - 1], List.of());
        int from = Integer.parseInt(query.getOrDefault("continue", "0"));
        int to = (int) Math.min(items.size(), from + Long.parseLong(query.getOrDefault("limit", Integer.toString(Integer.MAX_VALUE))));
        String next = to < items.size() ? ",\"continue\":\"" + to + "\"" : "";
        StringBuilder body = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"1000\"")
                .append(next).append("},\"items\":[");
        for (int i = from; i < to; i++) {
            body.append(i > from ? "," : "").append(items.get(i));
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body.append("]}").toString());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }
}
