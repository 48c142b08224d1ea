package io.proxyguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.cluster.LiveClusterView;
import io.proxyguard.cluster.WatchedResource;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.manifest.SafeYaml;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The heap the webhook's cluster view retains for workloads: 10,000 Deployments and 20,000 Pods as the API server
 * sends them (src/test/resources/cluster/deployment-as-served.yaml and pod-as-served.yaml: managedFields, the
 * last-applied annotation, status, a dozen env entries, Istio's injected containers; each copy with its own name,
 * namespace among 500, uid and resourceVersion), each parsed from JSON text into a GenericKubernetesResource as
 * fabric8 reads a list page, put into the informer's store as ClusterWatch's informers do, then indexed
 * ({@link LiveClusterView#rebuildNow()}).
 *
 * <p>One figure per JVM: the view with the Pods owned by ReplicaSets (nearly every Pod in a cluster; not kept), the
 * view with as many bare Pods (owned by nothing: the worst case), and for comparison what fabric8's default store
 * would retain, the objects as received (from 1,000 of each). Each is the growth of the heap in use after full
 * collections ({@code System.gc()} under SerialGC compacts the whole heap; read as the pools' usage after the
 * collection, so nothing allocated since counts) with the structure reachable, after a warm-up that builds and drops
 * a tenth of it, so that Jackson's and fabric8's caches are not counted.
 *
 * <p>Run: {@code bench/view-memory.sh} ({@code -XX:+UseSerialGC -Xms1g -Xmx1g -XX:SoftRefLRUPolicyMSPerMB=0}: soft
 * references, which caches use and which the collector otherwise clears when it likes, are cleared at every
 * collection); arguments: the figure ({@code view}, {@code bare-pods}, {@code as-received}), Deployments, Pods.
 * Prints the figure on stderr, and a tab-separated {@code view-memory} row on stdout.
 */
public final class ClusterViewMemoryBenchmark {


    /** Default counts per figure: ServiceEntries, Services, ConfigMaps (of which the second count is of 500 KB). */
    private static final Map<String, Integer> DEFAULT_FIRST = Map.of("service-entries", 10_000, "services", 10_000, "config-maps", 5_000);
    private static final Map<String, Integer> DEFAULT_SECOND = Map.of("service-entries", 0, "services", 0, "config-maps", 300);

    private static final int AS_RECEIVED_SAMPLE = 1_000;
    private static final double MIB = 1024.0 * 1024.0;

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ScheduledExecutorService rebuilder;
    private final String deploymentJson;
    private final String podJson;
    private final String barePodJson;

    private ClusterViewMemoryBenchmark(ScheduledExecutorService rebuilder) throws Exception {
        this.rebuilder = rebuilder;
        deploymentJson = json("deployment-as-served.yaml");
        podJson = json("pod-as-served.yaml");
        ObjectNode bare = (ObjectNode) serialization.unmarshal(podJson, JsonNode.class);
        ((ObjectNode) bare.get("metadata")).remove("ownerReferences");
        barePodJson = bare.toString();
    }

    public static void main(String[] args) throws Exception {
        String figure = args.length > 0 ? args[0] : "view";
        int deployments = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_FIRST.getOrDefault(figure, 10_000);
        int pods = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_SECOND.getOrDefault(figure, 20_000);
        ScheduledExecutorService rebuilder = Executors.newSingleThreadScheduledExecutor();
        try {
            new ClusterViewMemoryBenchmark(rebuilder).measure(figure, deployments, pods);
        } finally {
            rebuilder.shutdownNow();
        }
    }

    /** One figure per JVM, after a warm-up of a tenth of its size: nothing measured before can linger into it. */
    private void measure(String figure, int deployments, int pods) throws InterruptedException {
        switch (figure) {
            case "view" -> {
                feed(deployments / 10, pods / 10, podJson);
                Retained view = retained(() -> feed(deployments, pods, podJson));
                print("view, owned Pods", "%,d Deployments + %,d ReplicaSet-owned Pods (not kept; %,d objects kept): %.1f MiB, "
                        + "%,d bytes per Deployment", deployments, pods, view.objects(), view.bytes() / MIB, view.bytes() / deployments);
                row(figure, deployments, pods, view.bytes());
            }
            case "bare-pods" -> {
                feed(0, pods / 10, barePodJson);
                Retained view = retained(() -> feed(0, pods, barePodJson));
                print("view, bare Pods", "%,d Pods owned by no controller (the worst case): %.1f MiB, %,d bytes per Pod",
                        pods, view.bytes() / MIB, view.bytes() / pods);
                row(figure, 0, pods, view.bytes());
            }
            case "as-received" -> {
                sample(this::deployment);
                long deployment = retained(() -> sample(this::deployment)).bytes() / AS_RECEIVED_SAMPLE;
                long pod = retained(() -> sample(i -> pod(i, podJson))).bytes() / AS_RECEIVED_SAMPLE;
                print("as received", "fabric8's default store would keep %,d bytes per Deployment, %,d per Pod: %.0f MiB for "
                        + "%,d Deployments and %,d Pods", deployment, pod, (deployment * deployments + pod * pods) / MIB, deployments, pods);
                row(figure, deployments, pods, deployment * deployments + pod * pods);
            }
            case "service-entries" -> oneKind(figure, WatchedResource.SERVICE_ENTRY_V1, deployments,
                    i -> parsed(GeneratedObjects.serviceEntry(i)), "ServiceEntries");
            case "services" -> oneKind(figure, WatchedResource.SERVICE, deployments, i -> parsed(GeneratedObjects.service(i)), "Services");
            case "config-maps" -> oneKind(figure, WatchedResource.CONFIG_MAP, deployments,
                    i -> parsed(GeneratedObjects.configMap(i, deployments, pods)), "ConfigMaps (" + pods + " of 500 KB)");
            default -> throw new IllegalArgumentException("figure: view, bare-pods, as-received, service-entries, services or "
                    + "config-maps, not " + figure);
        }
    }

    /**
     * The view of {@code count} objects of one kind against the same objects as received (as fabric8's default store
     * would keep them), each after a warm-up of a tenth.
     */
    private void oneKind(String figure, WatchedResource resource, int count, IntFunction<GenericKubernetesResource> object, String what)
            throws InterruptedException {
        feedOne(resource, count / 10, object);
        Retained view = retained(() -> feedOne(resource, count, object));
        Retained received = retained(() -> {
            List<GenericKubernetesResource> kept = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                kept.add(object.apply(i));
            }
            return kept;
        });
        print("view, " + figure, "%,d %s: %.1f MiB, %,d bytes each; as received %.1f MiB, %,d bytes each", count, what,
                view.bytes() / MIB, view.bytes() / count, received.bytes() / MIB, received.bytes() / count);
        row(figure, count, 0, view.bytes());
        row(figure + "-as-received", count, 0, received.bytes());
    }

    private LiveClusterView feedOne(WatchedResource resource, int count, IntFunction<GenericKubernetesResource> object) {
        LiveClusterView view = new LiveClusterView(new PolicyEngine(Fixtures.exampleConfig()).detector(), rebuilder, 100);
        ItemStore<GenericKubernetesResource> store = view.newStore(resource, serialization);
        for (int i = 0; i < count; i++) {
            GenericKubernetesResource item = object.apply(i);
            store.put(store.getKey(item), item);
        }
        view.rebuildNow();
        return view;
    }

    private GenericKubernetesResource parsed(String json) {
        return serialization.unmarshal(json, GenericKubernetesResource.class);
    }

    /** Heap retained by what {@code build} returns, and how many objects a view among them keeps. */
    private record Retained(long bytes, int objects) {
    }

    private static Retained retained(Supplier<Object> build) throws InterruptedException {
        long before = usedHeapAfterGc();
        Object kept = build.get();
        long bytes = usedHeapAfterGc() - before;
        int objects = kept instanceof LiveClusterView view ? view.size() : 0;
        Reference.reachabilityFence(kept);
        return new Retained(bytes, objects);
    }

    /** A view fed as ClusterWatch's informers feed it: each object put into its informer's store, then indexed. */
    private LiveClusterView feed(int deployments, int pods, String podTemplate) {
        LiveClusterView view = new LiveClusterView(new PolicyEngine(Fixtures.exampleConfig()).detector(), rebuilder, 100);
        ItemStore<GenericKubernetesResource> deploymentStore = view.newStore(WatchedResource.DEPLOYMENT, serialization);
        ItemStore<GenericKubernetesResource> podStore = view.newStore(WatchedResource.POD, serialization);
        for (int i = 0; i < deployments; i++) {
            GenericKubernetesResource deployment = deployment(i);
            deploymentStore.put(deploymentStore.getKey(deployment), deployment);
        }
        for (int i = 0; i < pods; i++) {
            GenericKubernetesResource pod = pod(i, podTemplate);
            podStore.put(podStore.getKey(pod), pod);
        }
        view.rebuildNow();
        return view;
    }

    /** {@value #AS_RECEIVED_SAMPLE} objects as received, as fabric8's default store would keep them. */
    private static List<GenericKubernetesResource> sample(IntFunction<GenericKubernetesResource> object) {
        List<GenericKubernetesResource> kept = new ArrayList<>(AS_RECEIVED_SAMPLE);
        for (int i = 0; i < AS_RECEIVED_SAMPLE; i++) {
            kept.add(object.apply(i));
        }
        return kept;
    }

    /** Deployment {@code svc-i} in namespace {@code ns-(i mod 500)}, parsed from its own JSON text. */
    private GenericKubernetesResource deployment(int i) {
        return parse(deploymentJson, i);
    }

    private GenericKubernetesResource pod(int i, String template) {
        return parse(template.replace("x2k8q", String.format(Locale.ROOT, "%05d", i)), i / 2);
    }

    private GenericKubernetesResource parse(String template, int i) {
        String text = template.replace("checkout", "svc-" + i)
                .replace("\"namespace\":\"shop\"", "\"namespace\":\"ns-" + (i % GeneratedObjects.NAMESPACES) + "\"")
                .replace("6f1d2c4e-8a53-4c1b-9f0e", String.format(Locale.ROOT, "6f1d2c4e-8a53-4c1b-%04x", i % 65536))
                .replace("48211", Integer.toString(48211 + i));
        return serialization.unmarshal(text, GenericKubernetesResource.class);
    }

    private String json(String file) throws Exception {
        Path path = Path.of("src/test/resources/cluster", file);
        return SafeYaml.readOne(Files.readString(path), path.toString()).toString();
    }

    /** The heap in use right after a full collection, as the collector reports it (not what was allocated since). */
    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getCollectionUsage().getUsed()).sum();
    }

    private static void print(String what, String format, Object... values) {
        System.err.printf("%-18s %s%n", what + ":", String.format(Locale.ROOT, format, values));
    }

    /** The figure as a tab-separated row on stdout: view-memory, figure, Deployments, Pods, bytes. */
    private static void row(String figure, int deployments, int pods, long bytes) {
        System.out.printf("view-memory\t%s\t%d\t%d\t%d%n", figure, deployments, pods, bytes);
    }
}
