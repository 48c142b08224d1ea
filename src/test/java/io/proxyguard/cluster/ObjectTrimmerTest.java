package io.proxyguard.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.engine.Fixtures;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.workload.ContainerEnv;
import io.proxyguard.engine.workload.WorkloadFacts;
import io.proxyguard.manifest.SafeYaml;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the webhook's cluster view keeps of each object: what the rules read, and nothing else. */
class ObjectTrimmerTest {

    /** What is kept of the checkout container, the same in both fixtures: its name, proxy variables and envFrom. */
    private static final String CHECKOUT_CONTAINER_KEPT = """
            - name: checkout
              env:
              - {name: HTTPS_PROXY, value: "http://10.10.0.5:3128"}
              - {name: NO_PROXY, value: ".svc,.cluster.local,localhost"}
              envFrom:
              - configMapRef: {name: checkout-settings}
            """;

    static KubeObject asServed(String file) throws Exception {
        Path path = Path.of("src/test/resources/cluster", file);
        return KubeObject.of((ObjectNode) SafeYaml.readOne(Files.readString(path), path.toString()));
    }

    private static KubeObject trimmed(KubeObject object) {
        return ObjectTrimmer.trim(object, new ConfigMapKeys()).orElseThrow();
    }

    @Test
    void deploymentKeepsItsIdentityPodTemplateLabelsIstioAnnotationsAndProxyEnvironment() throws Exception {
        assertThat(trimmed(asServed("deployment-as-served.yaml")).json()).isEqualTo(Fixtures.object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: checkout, namespace: shop}
                spec:
                  template:
                    metadata:
                      labels: {app: checkout, version: v3}
                      annotations: {sidecar.istio.io/proxyCPU: 100m, traffic.sidecar.istio.io/excludeOutboundPorts: "5432"}
                    spec:
                      containers:
                """ + CHECKOUT_CONTAINER_KEPT.indent(6)).json());
    }

    @Test
    void theTrimmedWorkloadReadsAsTheFullOne() throws Exception {
        KubeObject full = asServed("deployment-as-served.yaml");

        WorkloadFacts before = WorkloadFacts.read(full, ClusterView.EMPTY);
        WorkloadFacts after = WorkloadFacts.read(trimmed(full), ClusterView.EMPTY);

        assertThat(after.pod().labels()).isEqualTo(before.pod().labels());
        assertThat(after.pod().hostNetwork()).isEqualTo(before.pod().hostNetwork());
        assertThat(before.pod().annotations()).containsAllEntriesOf(after.pod().annotations());
        assertThat(after.pod().annotations()).containsOnlyKeys("sidecar.istio.io/proxyCPU", "traffic.sidecar.istio.io/excludeOutboundPorts");
        assertThat(after.object().ref()).isEqualTo(before.object().ref());
        assertThat(after.containers()).extracting(ContainerEnv::container).isEqualTo(before.containers().stream().map(ContainerEnv::container).toList());
        assertThat(after.proxyVariables()).extracting(v -> v.name(), v -> v.source(), v -> v.value(), v -> v.url())
                .isEqualTo(before.proxyVariables().stream().map(v -> org.assertj.core.groups.Tuple.tuple(v.name(), v.source(), v.value(), v.url())).toList());
    }

    @Test
    void aPodThatAControllerOwnsIsNotKept() throws Exception {
        assertThat(ObjectTrimmer.trim(asServed("pod-as-served.yaml"), new ConfigMapKeys())).isEmpty();
    }

    @Test
    void aBarePodKeepsItsOwnLabelsIstioAnnotationsAndEveryContainerByName() throws Exception {
        KubeObject pod = asServed("pod-as-served.yaml");
        ((ObjectNode) pod.json().get("metadata")).remove("ownerReferences");

        ObjectNode kept = trimmed(pod).json();

        assertThat(kept.get("metadata").get("labels")).isEqualTo(pod.json().get("metadata").get("labels"));
        assertThat(kept.get("metadata").get("annotations").fieldNames()).toIterable().containsExactly(
                "istio.io/rev", "sidecar.istio.io/proxyCPU", "sidecar.istio.io/status", "traffic.sidecar.istio.io/excludeOutboundPorts");
        assertThat(kept.get("metadata").get("name").asText()).isEqualTo("checkout-7c9f8d6b5d-x2k8q");
        assertThat(kept.get("spec").get("initContainers")).isEqualTo(Fixtures.object("a: [{name: istio-init}]").json().get("a"));
        assertThat(kept.get("spec").get("containers"))
                .isEqualTo(Fixtures.object("a:\n" + CHECKOUT_CONTAINER_KEPT + "- name: istio-proxy\n").json().get("a"));
        assertThat(kept.fieldNames()).toIterable().containsExactly("apiVersion", "kind", "metadata", "spec");
    }

    @Test
    void lowerCaseProxyVariablesHostNetworkAndTheCronJobTemplateAreKept() {
        KubeObject cronJob = Fixtures.object("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly, namespace: batch, labels: {team: data}}
                spec:
                  schedule: "0 3 * * *"
                  jobTemplate:
                    spec:
                      template:
                        metadata: {labels: {app: nightly}, annotations: {example.com/owner: data}}
                        spec:
                          hostNetwork: true
                          containers:
                          - name: job
                            image: job:1
                            env: [{name: https_proxy, value: "10.10.0.5:3128"}, {name: Https_Proxy, value: x}, {name: all_proxy, value: y}]
                """);

        assertThat(trimmed(cronJob).json()).isEqualTo(Fixtures.object("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly, namespace: batch}
                spec:
                  jobTemplate:
                    spec:
                      template:
                        metadata: {labels: {app: nightly}}
                        spec:
                          hostNetwork: true
                          containers:
                          - name: job
                            env: [{name: https_proxy, value: "10.10.0.5:3128"}, {name: all_proxy, value: y}]
                """).json());
    }

    @Test
    void aNamespaceKeepsItsNameAndLabels() {
        KubeObject namespace = Fixtures.object("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                  labels: {istio-injection: enabled, kubernetes.io/metadata.name: shop}
                  annotations: {owner: payments}
                  resourceVersion: "12"
                  managedFields: [{manager: kubectl}]
                spec: {finalizers: [kubernetes]}
                status: {phase: Active}
                """);

        assertThat(trimmed(namespace).json()).isEqualTo(Fixtures.object("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                  labels: {istio-injection: enabled, kubernetes.io/metadata.name: shop}
                """).json());
    }

    @Test
    void sidecarsAndServiceEntriesLoseManagedFieldsLastAppliedStatusAndWhatChangesOnEveryWrite() {
        String kept = """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: shop
                  creationTimestamp: "2026-10-01T00:00:00Z"
                  labels: {team: shop}
                  annotations: {owner: mesh-team}
                spec:
                  egress: [{hosts: ["./*", "istio-system/*"]}]
                """;
        KubeObject sidecar = Fixtures.object(kept);
        ObjectNode metadata = (ObjectNode) sidecar.json().get("metadata");
        metadata.put("resourceVersion", "7").put("generation", 2).put("uid", "1234").putArray("managedFields").addObject().put("manager", "helm");
        ((ObjectNode) metadata.get("annotations")).put(ObjectTrimmer.LAST_APPLIED, "{}");
        sidecar.json().putObject("status").put("phase", "whatever");

        assertThat(trimmed(sidecar).json()).isEqualTo(Fixtures.object(kept).json());
        assertThat(sidecar.json().get("metadata").has("managedFields")).as("the object given is left unchanged").isTrue();
    }

    @Test
    void aConfigMapKeepsProxyVariablesTheirTailsAndTheMeshConfigOnly() {
        KubeObject configMap = Fixtures.object("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system, labels: {istio.io/rev: default}, uid: "1234"}
                data:
                  mesh: "outboundTrafficPolicy: {mode: REGISTRY_ONLY}"
                  meshNetworks: "networks: {}"
                  HTTPS_PROXY: http://10.10.0.5:3128
                  no_proxy: .svc
                  PROXY: http://10.10.0.6:3128
                  Https_Proxy: mixed case is no proxy variable
                  dashboard.json: "{}"
                binaryData: {blob: AAAA}
                """);

        assertThat(trimmed(configMap).json()).isEqualTo(Fixtures.object("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: "outboundTrafficPolicy: {mode: REGISTRY_ONLY}"
                  HTTPS_PROXY: http://10.10.0.5:3128
                  no_proxy: .svc
                  PROXY: http://10.10.0.6:3128
                """).json());
    }

    @Test
    void aConfigMapKeepsAKeyOnceAWorkloadReadsItIntoAProxyVariable() {
        String configMapYaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: egress, namespace: shop}
                data: {proxy-url: "http://10.10.0.5:3128", other: "x", mesh: "not the mesh config: not named istio"}
                """;
        ConfigMapKeys keys = new ConfigMapKeys();
        assertThat(ObjectTrimmer.trim(Fixtures.object(configMapYaml), keys).orElseThrow().json().get("data")).isEmpty();

        KubeObject deployment = ObjectTrimmer.trim(Fixtures.object("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: cart, namespace: shop}
                spec:
                  template:
                    spec:
                      containers:
                      - name: cart
                        env:
                        - name: HTTPS_PROXY
                          valueFrom: {configMapKeyRef: {name: egress, key: proxy-url}}
                        - name: GREETING
                          valueFrom: {configMapKeyRef: {name: egress, key: other}}
                """), keys).orElseThrow();
        assertThat(keys.learnFrom(deployment)).containsExactly(new ConfigMapKeys.KeyRef("shop", "egress", "proxy-url"));
        assertThat(keys.learnFrom(deployment)).as("known now").isEmpty();

        assertThat(ObjectTrimmer.trim(Fixtures.object(configMapYaml), keys).orElseThrow().json().get("data"))
                .isEqualTo(Fixtures.object("{apiVersion: v1, kind: ConfigMap, metadata: {name: x}, data: {proxy-url: \"http://10.10.0.5:3128\"}}")
                        .json().get("data"));
    }

    @Test
    void aServiceKeepsItsPortsNamesAppProtocolsAndExportTo() {
        KubeObject service = Fixtures.object("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: squid
                  namespace: egress
                  labels: {app: squid}
                  annotations: {networking.istio.io/exportTo: ".", owner: net-team}
                spec:
                  selector: {app: squid}
                  clusterIP: 10.96.0.12
                  ports: [{name: http-proxy, port: 3128, targetPort: 3128, protocol: TCP, appProtocol: http}]
                status: {loadBalancer: {}}
                """);

        assertThat(trimmed(service).json()).isEqualTo(Fixtures.object("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: squid
                  namespace: egress
                  annotations: {networking.istio.io/exportTo: "."}
                spec:
                  ports: [{name: http-proxy, port: 3128, appProtocol: http}]
                """).json());
    }

    @Test
    void theKeptTreeIsReadOnlyAndEqualToTheSameTreeBuiltByJackson() throws Exception {
        ObjectNode kept = trimmed(asServed("deployment-as-served.yaml")).json();
        ObjectNode rebuilt = (ObjectNode) SafeYaml.readOne(kept.toString(), "rebuilt");

        assertThat(kept).isEqualTo(rebuilt);
        assertThat(rebuilt).isEqualTo(kept);
        assertThat(kept.hashCode()).isEqualTo(rebuilt.hashCode());
        assertThatThrownBy(() -> kept.put("added", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((ArrayNode) kept.at("/spec/template/spec/containers")).add(1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aStatusOrReplicaChangeLeavesTheTrimmedFormEqual() throws Exception {
        KubeObject before = asServed("deployment-as-served.yaml");
        KubeObject after = asServed("deployment-as-served.yaml");
        ((ObjectNode) after.json().get("spec")).put("replicas", 5);
        ((ObjectNode) after.json().get("status")).put("readyReplicas", 4);
        ((ObjectNode) after.json().get("metadata")).put("resourceVersion", "48219999").put("generation", 4);

        assertThat(trimmed(after).json()).isEqualTo(trimmed(before).json());
        assertThat(trimmed(before).ref()).isEqualTo(before.ref());
    }
}
