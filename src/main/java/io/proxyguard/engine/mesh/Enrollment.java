package io.proxyguard.engine.mesh;

import java.util.Optional;

/**
 * Whether a pod has a sidecar, is ambient or is outside the mesh, why, and which istiod revision injects it
 * ("" for the default revision). Follows the namespace and object selectors of Istio's injection webhooks
 * (pkg/kube/inject): hostNetwork pods are never injected; the pod label {@code sidecar.istio.io/inject} wins over
 * the deprecated annotation of the same name; {@code istio-injection=disabled} on the namespace wins over
 * everything; {@code istio-injection=enabled} or {@code istio.io/rev} on the namespace inject; in a namespace
 * with neither, only the pod label {@code sidecar.istio.io/inject: "true"} or {@code istio.io/rev} does.
 */
public record Enrollment(DataPlane dataPlane, String reason, String revision) {

    static final String INJECT = "sidecar.istio.io/inject";
    static final String NAMESPACE_INJECTION = "istio-injection";
    static final String REVISION = "istio.io/rev";
    static final String DATAPLANE_MODE = "istio.io/dataplane-mode";

    public static Enrollment decide(PodMeta pod, Optional<NamespaceInfo> namespace, MeshSettings settings) {
        if (pod.hostNetwork()) {
            return none("it uses hostNetwork, and such pods are never injected");
        }
        String podChoice = pod.labels().containsKey(INJECT) ? pod.label(INJECT) : pod.annotation(INJECT);
        String podChoiceSource = pod.labels().containsKey(INJECT) ? "label" : "annotation";
        if ("false".equalsIgnoreCase(podChoice.trim())) {
            return orAmbient(pod, namespace, "its pod " + podChoiceSource + " " + INJECT + " is \"false\"");
        }
        if (namespace.isEmpty()) {
            if (settings.unknownNamespacesInjected()) {
                return sidecar("namespace " + pod.namespace() + " is not in view and is taken as injected", pod.label(REVISION));
            }
            return unlabelled(pod, namespace, settings, "namespace " + pod.namespace() + " is not in view");
        }
        NamespaceInfo ns = namespace.get();
        String injection = ns.label(NAMESPACE_INJECTION);
        if (injection.equals("disabled")) {
            return orAmbient(pod, namespace, "namespace " + ns.name() + " is labelled " + NAMESPACE_INJECTION + "=disabled");
        }
        if (injection.equals("enabled")) {
            return sidecar("namespace " + ns.name() + " is labelled " + NAMESPACE_INJECTION + "=enabled", "");
        }
        if (!ns.label(REVISION).isEmpty()) {
            return sidecar("namespace " + ns.name() + " is labelled " + REVISION + "=" + ns.label(REVISION), ns.label(REVISION));
        }
        return unlabelled(pod, namespace, settings, "namespace " + ns.name() + " has no injection label");
    }

    private static Enrollment unlabelled(PodMeta pod, Optional<NamespaceInfo> namespace, MeshSettings settings, String why) {
        if (pod.label(INJECT).trim().equalsIgnoreCase("true")) {
            return sidecar("its pod label " + INJECT + " is \"true\"", pod.label(REVISION));
        }
        if (!pod.label(REVISION).isEmpty()) {
            return sidecar("its pod label " + REVISION + " is " + pod.label(REVISION), pod.label(REVISION));
        }
        if (settings.enableNamespacesByDefault()) {
            return sidecar(why + " and enableNamespacesByDefault is set", "");
        }
        return orAmbient(pod, namespace, why + " and the pod has no " + INJECT + "=true label");
    }

    /** A pod without a sidecar is ambient when it or its namespace says so, unless the pod opts out with {@code none}. */
    private static Enrollment orAmbient(PodMeta pod, Optional<NamespaceInfo> namespace, String noSidecar) {
        String podMode = pod.label(DATAPLANE_MODE);
        if (podMode.equals("none")) {
            return none(noSidecar);
        }
        if (podMode.equals("ambient")) {
            return new Enrollment(DataPlane.AMBIENT, "its pod label " + DATAPLANE_MODE + " is ambient", "");
        }
        if (namespace.map(ns -> ns.label(DATAPLANE_MODE)).orElse("").equals("ambient")) {
            return new Enrollment(DataPlane.AMBIENT, "namespace " + pod.namespace() + " is labelled " + DATAPLANE_MODE + "=ambient", "");
        }
        return none(noSidecar);
    }

    private static Enrollment sidecar(String reason, String revision) {
        return new Enrollment(DataPlane.SIDECAR, reason, revision);
    }

    private static Enrollment none(String reason) {
        return new Enrollment(DataPlane.NONE, reason, "");
    }
}
