package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One informer's store, holding each object in the form {@link ObjectTrimmer} gives it: the informer's cache and
 * the cluster view share this single copy, and the full object the API server sent is garbage as soon as it is
 * stored. Lists arrive a page at a time, so memory follows the trimmed objects and one page, never the whole
 * list. {@code onChange} runs when what the rules see has changed (not on a status update, not for a controlled
 * workload, which is not kept).
 *
 * <p>The informer reads back what it stored only on a relist and for the old object of an update; it then gets
 * the trimmed form. It is a reduced store ({@link #isFullState()} false), so adds are not deferred to be read
 * back at the end of the first list.
 */
final class TrimmedItemStore implements ItemStore<GenericKubernetesResource> {

    private final WatchedResource resource;
    private final KubernetesSerialization serialization;
    private final ConfigMapKeys configMapKeys;
    private final Runnable onChange;
    private final Consumer<ConfigMapKeys.KeyRef> onNewKeyRef;
    private final Map<String, KubeObject> objects = new ConcurrentHashMap<>();

    /**
     * A store for {@code resource}, keeping of ConfigMaps what {@code configMapKeys} says; a workload that reads a
     * ConfigMap key no workload read before is told to {@code onNewKeyRef} (the ConfigMap may be kept without it).
     */
    TrimmedItemStore(WatchedResource resource, KubernetesSerialization serialization, ConfigMapKeys configMapKeys,
                     Runnable onChange, Consumer<ConfigMapKeys.KeyRef> onNewKeyRef) {
        this.resource = resource;
        this.serialization = serialization;
        this.configMapKeys = configMapKeys;
        this.onChange = onChange;
        this.onNewKeyRef = onNewKeyRef;
    }

    WatchedResource resource() {
        return resource;
    }

    /** The object kept under {@code key}, trimmed, if any. */
    Optional<KubeObject> kept(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    /** The objects kept, trimmed; a live view of the store. */
    Collection<KubeObject> objects() {
        return objects.values();
    }

    @Override
    public String getKey(GenericKubernetesResource object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        Optional<KubeObject> trimmed = trim(object);
        trimmed.filter(WorkloadFacts::isWorkload).ifPresent(workload -> configMapKeys.learnFrom(workload).forEach(onNewKeyRef));
        KubeObject previous = trimmed.isPresent() ? objects.put(key, trimmed.get()) : objects.remove(key);
        if (changed(previous, trimmed)) {
            onChange.run();
        }
        return toResource(previous);
    }

    /**
     * Keeps {@code fetched} (the object as just read from the API server) under {@code key} in place of
     * {@code expected}, unless the informer stored something else meanwhile (newer, and trimmed with what is known
     * now). False when it did.
     */
    boolean replace(String key, KubeObject expected, GenericKubernetesResource fetched) {
        Optional<KubeObject> trimmed = trim(fetched);
        if (trimmed.isEmpty() || !objects.replace(key, expected, trimmed.get())) {
            return false;
        }
        if (changed(expected, trimmed)) {
            onChange.run();
        }
        return true;
    }

    private Optional<KubeObject> trim(GenericKubernetesResource object) {
        return ObjectTrimmer.trim(ClusterReader.toKubeObject(serialization, object, resource), configMapKeys);
    }

    @Override
    public GenericKubernetesResource remove(String key) {
        KubeObject previous = objects.remove(key);
        if (previous != null) {
            onChange.run();
        }
        return toResource(previous);
    }

    @Override
    public Stream<String> keySet() {
        return objects.keySet().stream();
    }

    @Override
    public Stream<GenericKubernetesResource> values() {
        return objects.values().stream().map(this::toResource);
    }

    @Override
    public int size() {
        return objects.size();
    }

    @Override
    public GenericKubernetesResource get(String key) {
        return toResource(objects.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    private static boolean changed(KubeObject previous, Optional<KubeObject> current) {
        if (previous == null) {
            return current.isPresent();
        }
        return current.map(object -> !object.json().equals(previous.json())).orElse(true);
    }

    private GenericKubernetesResource toResource(KubeObject object) {
        return object == null ? null : serialization.convertValue(object.json(), GenericKubernetesResource.class);
    }
}
