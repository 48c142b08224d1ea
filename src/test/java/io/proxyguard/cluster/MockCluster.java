package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.model.KubeObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/** Writes objects into fabric8's CRUD mock API server as a real one would store them, and waits for caches to follow. */
public final class MockCluster {

    private final KubernetesClient client;

    public MockCluster(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Writes a kubeconfig for {@code client}'s mock API server (any token, no TLS check) to {@code file}, with
     * {@code namespace} as its context's namespace: for a {@code serve} or {@code audit} run as a process.
     */
    public static Path writeKubeconfig(Path file, KubernetesClient client, String namespace) throws IOException {
        return Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: mock, user: {token: mock}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: %s}}]
                current-context: mock
                """.formatted(client.getMasterUrl(), namespace));
    }

    /** Creates or replaces {@code yaml}'s object. */
    public void apply(String yaml) {
        apply(Fixtures.object(yaml));
    }

    /** Creates or replaces the object; a ServiceEntry or Sidecar of any version is stored as v1, which the server serves them as too. */
    public void apply(KubeObject object) {
        WatchedResource resource = resourceOf(object);
        GenericKubernetesResource item = client.getKubernetesSerialization().convertValue(object.json(), GenericKubernetesResource.class);
        item.setApiVersion(resource.apiVersion());
        operation(resource, object.ref().namespace()).resource(item).createOr(existing -> existing.update());
    }

    /** Deletes every object of every watched resource: an empty cluster for the next test. */
    public void deleteEverything() {
        for (WatchedResource resource : WatchedResource.values()) {
            var operation = client.genericKubernetesResources(resource.context());
            (resource.namespaced() ? operation.inAnyNamespace() : operation).delete();
        }
    }

    public void delete(KubeObject object) {
        operation(resourceOf(object), object.ref().namespace()).withName(object.ref().name()).delete();
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> operation(
            WatchedResource resource, String namespace) {
        var operation = client.genericKubernetesResources(resource.context());
        return resource.namespaced() ? operation.inNamespace(namespace) : operation;
    }

    /** The first (preferred) resource of the object's group and kind. */
    private static WatchedResource resourceOf(KubeObject object) {
        return Arrays.stream(WatchedResource.values())
                .filter(r -> r.kind().equals(object.kind()) && r.group().equals(object.group()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a watched kind: " + object.ref().display()));
    }

    /** Waits (up to 20 s, generous for a loaded machine) for an eventually consistent cache. */
    public static void eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(20);
        }
    }
}
