package io.proxyguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.workload.ProxyVariable;
import io.proxyguard.engine.workload.WorkloadFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which keys of a ConfigMap the cluster view keeps: the only ones a rule can read.
 * <ul>
 *   <li>Keys that, behind some {@code envFrom.configMapRef} prefix, make a proxy variable: every non-empty tail of
 *   {@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code ALL_PROXY}, {@code NO_PROXY} in upper or lower case
 *   ({@code HTTPS_PROXY} itself with no prefix, {@code PROXY} behind {@code HTTPS_}). A fixed set of short names,
 *   so no workload needs to be known first.</li>
 *   <li>Keys that a workload reads into a proxy variable through {@code valueFrom.configMapKeyRef}: any name, so they
 *   are learnt from the workloads as they arrive ({@link #learnFrom}). The set only grows while the process runs
 *   (a reference that goes away costs its value until the next restart): what forgetting would save is one short
 *   value per stale reference.</li>
 *   <li>Key {@code mesh} of ConfigMaps named {@code istio} or {@code istio-REV}, in any namespace, so that a
 *   configuration naming another Istio namespace needs no new list.</li>
 * </ul>
 * Thread-safe: the workload informers learn while the ConfigMap informer trims.
 */
final class ConfigMapKeys {

    /** Every non-empty tail of a proxy variable name, upper and lower case. */
    static final Set<String> PROXY_NAME_TAILS = Stream.of("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
            .flatMap(name -> Stream.of(name, name.toLowerCase(Locale.ROOT)))
            .flatMap(name -> java.util.stream.IntStream.range(0, name.length()).mapToObj(name::substring))
            .collect(Collectors.toUnmodifiableSet());

    /** A key of a ConfigMap that some workload reads into a proxy variable. */
    record KeyRef(String namespace, String name, String key) {
    }

    private final Set<KeyRef> referenced = ConcurrentHashMap.newKeySet();

    /** True when the view keeps {@code key} of ConfigMap {@code namespace/name}. */
    boolean keeps(String namespace, String name, String key) {
        return PROXY_NAME_TAILS.contains(key)
                || (key.equals(MeshIndex.MESH_KEY) && (name.equals(MeshIndex.MESH_CONFIG_MAP) || name.startsWith(MeshIndex.MESH_CONFIG_MAP + "-")))
                || referenced.contains(new KeyRef(namespace, name, key));
    }

    /**
     * Takes in the {@code configMapKeyRef}s of a workload's proxy variables (in its trimmed form, which keeps exactly
     * those variables) and returns those not known before: the ConfigMaps already kept may lack them.
     */
    List<KeyRef> learnFrom(KubeObject workload) {
        List<KeyRef> learnt = new ArrayList<>(0);
        FieldPath podSpec = WorkloadFacts.podSpec(workload);
        JsonNode spec = workload.json().at(podSpec.pointer());
        for (String list : WorkloadFacts.CONTAINER_LISTS) {
            for (JsonNode container : spec.path(list)) {
                for (JsonNode variable : container.path("env")) {
                    String variableName = variable.path("name").asText("");
                    JsonNode ref = variable.path("valueFrom").path("configMapKeyRef");
                    if (ref.isObject() && (ProxyVariable.isProxyName(variableName) || ProxyVariable.isNoProxyName(variableName))) {
                        KeyRef keyRef = new KeyRef(workload.ref().namespace(), ref.path("name").asText(""), ref.path("key").asText(""));
                        if (!keeps(keyRef.namespace(), keyRef.name(), keyRef.key()) && referenced.add(keyRef)) {
                            learnt.add(keyRef);
                        }
                    }
                }
            }
        }
        return learnt;
    }
}
