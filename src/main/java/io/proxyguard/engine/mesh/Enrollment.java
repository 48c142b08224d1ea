package io.proxyguard.engine.mesh;

import java.util.Optional;
import java.util.Set;

/**
 * Whether a pod has a sidecar, is ambient or is outside the mesh, why, and which istiod revision injects it
 * ("" for the default revision). Istio decides a sidecar in two steps, and so does this class:
 * <ol>
 *   <li>the API server calls one of the injector's webhooks only when the namespace and the pod labels match its
 *       selectors (istio-discovery's {@code templates/mutatingwebhook.yaml}): {@code istio-injection=enabled};
 *       else {@code istio.io/rev} on the namespace; else, on an unlabelled namespace, the pod label
 *       {@code istio.io/rev}, the pod label {@code sidecar.istio.io/inject=true}, or, with
 *       {@code enableNamespacesByDefault}, no label at all (not in kube-system and its kin). Any other value of
 *       {@code istio-injection} matches no webhook. Label values match exactly ({@code "True"} is not
 *       {@code "true"});</li>
 *   <li>the injector then skips hostNetwork pods and the system namespaces, and reads
 *       {@code sidecar.istio.io/inject} from the pod label, else from the deprecated annotation: {@code "false"}
 *       skips, anything but {@code "true"} or {@code "false"} means the default, inject
 *       ({@code injectRequired} in pkg/kube/inject/inject.go).</li>
 * </ol>
 * A pod already injected (annotation {@code sidecar.istio.io/status}) has a sidecar. A pod without a sidecar is
 * ambient when istio-cni's default enablement selectors match it (pod label {@code istio.io/dataplane-mode=ambient},
 * or the namespace label and no pod label {@code none}), outside istio-cni's excluded namespaces.
 */
public record Enrollment(DataPlane dataPlane, String reason, String revision) {

    static final String INJECT = "sidecar.istio.io/inject";
    static final String STATUS = "sidecar.istio.io/status";
    static final String NAMESPACE_INJECTION = "istio-injection";
    static final String REVISION = "istio.io/rev";
    static final String DATAPLANE_MODE = "istio.io/dataplane-mode";

    /** The revision name that the webhook selectors use for the default revision. */
    private static final String DEFAULT_REVISION = "default";
    /** pkg/kube/inject/initializer.go {@code IgnoredNamespaces}: never injected, whatever the labels say. */
    private static final Set<String> NEVER_INJECTED = Set.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage");
    /** istio-cni's default {@code excludeNamespaces} (manifests/charts/istio-cni/values.yaml): never ambient. */
    private static final Set<String> NEVER_AMBIENT = Set.of("kube-system");

    public static Enrollment decide(PodMeta pod, Optional<NamespaceInfo> namespace, MeshSettings settings) {
        if (pod.hostNetwork()) {
            return none("it uses hostNetwork, and such pods are never injected");
        }
        if (pod.annotations().containsKey(STATUS)) {
            return sidecar("it is already injected (annotation " + STATUS + ")", revisionOf(pod.label(REVISION)));
        }
        Selection selection = namespace.map(ns -> selectedBy(pod, ns, settings))
                .orElseGet(() -> selectedInUnknownNamespace(pod, settings));
        if (selection.revision().isEmpty()) {
            return orAmbient(pod, namespace, selection.reason());
        }
        if (NEVER_INJECTED.contains(pod.namespace())) {
            return orAmbient(pod, namespace, "the injector never injects namespace " + pod.namespace());
        }
        boolean fromLabel = pod.labels().containsKey(INJECT);
        String choice = fromLabel ? pod.label(INJECT) : pod.annotation(INJECT);
        if (choice.equals("false")) {
            return orAmbient(pod, namespace, "its pod " + (fromLabel ? "label " : "annotation ") + INJECT + " is \"false\"");
        }
        return sidecar(selection.reason(), selection.revision().get());
    }

    /** Which injector webhook the API server calls for the pod, if any: the revision it injects, and why. */
    private record Selection(Optional<String> revision, String reason) {
        static Selection of(String revision, String reason) {
            return new Selection(Optional.of(revisionOf(revision)), reason);
        }

        static Selection noWebhook(String reason) {
            return new Selection(Optional.empty(), reason);
        }
    }

    private static Selection selectedBy(PodMeta pod, NamespaceInfo ns, MeshSettings settings) {
        String name = "namespace " + ns.name();
        // every webhook but "namespace." requires istio-injection to be absent; "namespace." requires "enabled"
        if (ns.labels().containsKey(NAMESPACE_INJECTION)) {
            String value = ns.label(NAMESPACE_INJECTION);
            if (!value.equals("enabled")) {
                return Selection.noWebhook(name + " is labelled " + NAMESPACE_INJECTION + "=" + value + ", and only \"enabled\" injects");
            }
            return podLabelNotFalse(pod, Selection.of("", name + " is labelled " + NAMESPACE_INJECTION + "=enabled"));
        }
        if (ns.labels().containsKey(REVISION)) {
            String revision = ns.label(REVISION);
            return revision.isEmpty()
                    ? Selection.noWebhook(name + " has an empty " + REVISION + " label, which no injector selects")
                    : podLabelNotFalse(pod, Selection.of(revision, name + " is labelled " + REVISION + "=" + revision));
        }
        return selectedByPodLabels(pod, settings, name + " has no injection label");
    }

    /** A namespace not in view: taken as injected by the default revision, or as unlabelled, as configured. */
    private static Selection selectedInUnknownNamespace(PodMeta pod, MeshSettings settings) {
        String name = "namespace " + pod.namespace() + " is not in view";
        if (settings.unknownNamespacesInjected()) {
            String revision = pod.label(REVISION);
            return podLabelNotFalse(pod, Selection.of(revision, name + " and is taken as injected"));
        }
        return selectedByPodLabels(pod, settings, name);
    }

    /** The webhooks of a namespace without injection labels select on the pod's labels alone. */
    private static Selection selectedByPodLabels(PodMeta pod, MeshSettings settings, String namespaceReason) {
        if (pod.labels().containsKey(REVISION)) {
            String revision = pod.label(REVISION);
            return revision.isEmpty()
                    ? Selection.noWebhook(namespaceReason + " and the pod's " + REVISION + " label is empty")
                    : podLabelNotFalse(pod, Selection.of(revision, "its pod label " + REVISION + " is " + revision));
        }
        if (pod.label(INJECT).equals("true")) {
            return Selection.of("", "its pod label " + INJECT + " is \"true\"");
        }
        if (settings.enableNamespacesByDefault() && !pod.labels().containsKey(INJECT) && !NEVER_INJECTED.contains(pod.namespace())) {
            return Selection.of("", namespaceReason + " and enableNamespacesByDefault is set");
        }
        return Selection.noWebhook(namespaceReason + " and the pod has no " + INJECT + "=true or " + REVISION + " label");
    }

    /** The webhooks that a namespace label selects also require the pod label {@code sidecar.istio.io/inject} not to be "false". */
    private static Selection podLabelNotFalse(PodMeta pod, Selection selection) {
        return pod.label(INJECT).equals("false")
                ? Selection.noWebhook("its pod label " + INJECT + " is \"false\"")
                : selection;
    }

    /** The webhook selectors name the default revision {@code default}; its mesh ConfigMap is {@code istio}. */
    private static String revisionOf(String label) {
        return label.equals(DEFAULT_REVISION) ? "" : label;
    }

    /** A pod without a sidecar is ambient when it or its namespace says so, unless the pod opts out with {@code none}. */
    private static Enrollment orAmbient(PodMeta pod, Optional<NamespaceInfo> namespace, String noSidecar) {
        if (NEVER_AMBIENT.contains(pod.namespace())) {
            return none(noSidecar);
        }
        String podMode = pod.label(DATAPLANE_MODE);
        if (podMode.equals("ambient")) {
            return new Enrollment(DataPlane.AMBIENT, "its pod label " + DATAPLANE_MODE + " is ambient", "");
        }
        if (!podMode.equals("none") && namespace.map(ns -> ns.label(DATAPLANE_MODE)).orElse("").equals("ambient")) {
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
