package io.proxyguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.engine.model.KubeObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The informer's store: keeps the trimmed form, and says "changed" only when the rules would see a change. */
class TrimmedItemStoreTest {

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final AtomicInteger changes = new AtomicInteger();
    private final TrimmedItemStore store = new TrimmedItemStore(WatchedResource.DEPLOYMENT, serialization, new ConfigMapKeys(), changes::incrementAndGet, keyRef -> { });

    private GenericKubernetesResource asServed(String file) throws Exception {
        KubeObject object = ObjectTrimmerTest.asServed(file);
        return serialization.convertValue(object.json(), GenericKubernetesResource.class);
    }

    @Test
    void keepsTheTrimmedFormUnderTheInformersKey() throws Exception {
        GenericKubernetesResource deployment = asServed("deployment-as-served.yaml");

        assertThat(store.put(store.getKey(deployment), deployment)).isNull();

        assertThat(store.keySet()).containsExactly("shop/checkout");
        assertThat(store.objects()).singleElement().satisfies(kept -> {
            assertThat(kept.json().get("metadata").has("managedFields")).isFalse();
            assertThat(kept.json().at("/spec/template/spec/containers/0/env").size()).isEqualTo(2);
        });
        assertThat(store.get("shop/checkout").getMetadata().getName()).isEqualTo("checkout");
        assertThat(changes).hasValue(1);
    }

    @Test
    void aStatusUpdateIsNoChangeAndAnEnvironmentUpdateIs() throws Exception {
        GenericKubernetesResource deployment = asServed("deployment-as-served.yaml");
        store.put("shop/checkout", deployment);

        GenericKubernetesResource statusOnly = asServed("deployment-as-served.yaml");
        statusOnly.getMetadata().setResourceVersion("48219999");
        statusOnly.setAdditionalProperty("status", java.util.Map.of("readyReplicas", 1));
        GenericKubernetesResource previous = store.put("shop/checkout", statusOnly);

        assertThat(previous.getMetadata().getName()).as("the old object, trimmed").isEqualTo("checkout");
        assertThat(changes).hasValue(1);

        GenericKubernetesResource newProxy = serialization.unmarshal(
                ObjectTrimmerTest.asServed("deployment-as-served.yaml").json().toString().replace("10.10.0.5:3128", "10.10.0.6:3128"),
                GenericKubernetesResource.class);
        store.put("shop/checkout", newProxy);
        assertThat(changes).hasValue(2);
    }

    @Test
    void aWorkloadThatBecomesControlledLeavesTheStore() throws Exception {
        GenericKubernetesResource pod = asServed("pod-as-served.yaml");
        GenericKubernetesResource bare = asServed("pod-as-served.yaml");
        bare.getMetadata().setOwnerReferences(java.util.List.of());
        TrimmedItemStore pods = new TrimmedItemStore(WatchedResource.POD, serialization, new ConfigMapKeys(), changes::incrementAndGet, keyRef -> { });

        pods.put("shop/p", pod);
        assertThat(pods.size()).as("controlled: not kept").isZero();
        assertThat(changes).hasValue(0);

        pods.put("shop/p", bare);
        pods.put("shop/p", pod);

        assertThat(pods.size()).isZero();
        assertThat(changes).hasValue(2);
        assertThat(pods.remove("shop/p")).isNull();
        assertThat(changes).hasValue(2);
    }
}
