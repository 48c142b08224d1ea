package io.proxyguard.engine.view;

import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.mesh.DataPlane;
import io.proxyguard.engine.mesh.Enrollment;
import io.proxyguard.engine.mesh.MeshIndex;
import io.proxyguard.engine.mesh.MeshSettings;
import io.proxyguard.engine.mesh.PodMeta;
import io.proxyguard.engine.mesh.SidecarScope;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What istiod decides for one pod's outbound traffic: its data plane, the mesh settings of its revision, the Sidecar
 * scope in force and the capture annotations {@link io.proxyguard.engine.mesh.Interception} reads. Pods with equal
 * {@link #key()}s see the same entries and are captured alike, so one of them stands for all in an index.
 */
record PodScope(PodMeta pod, DataPlane dataPlane, MeshSettings settings, SidecarScope scope, Map<String, String> capture) {

    /** What makes two pods see the same entries: equal keys, equal decisions. */
    record Key(String namespace, DataPlane dataPlane, MeshSettings settings, Optional<ResourceRef> sidecar,
               Map<String, String> capture) {
    }

    /**
     * The decision for {@code pod}. Ambient pods get the namespace's view under the mesh's policy (ztunnel ignores
     * Sidecar resources) and no capture annotations; pods outside the mesh are decided as well, callers skip them.
     */
    static PodScope decide(PodMeta pod, MeshIndex mesh) {
        Enrollment enrollment = mesh.enrollment(pod);
        MeshSettings settings = mesh.settings(enrollment.revision());
        boolean sidecar = enrollment.dataPlane() == DataPlane.SIDECAR;
        SidecarScope scope = sidecar ? mesh.scope(pod, settings)
                : new SidecarScope(Optional.empty(), pod.namespace(), settings.outboundPolicy(), "the mesh config");
        return new PodScope(pod, enrollment.dataPlane(), settings, scope, sidecar ? captureAnnotations(pod) : Map.of());
    }

    Key key() {
        return new Key(pod.namespace(), dataPlane, settings, scope.resource().map(s -> s.ref()), capture);
    }

    /** The annotations {@code Interception} reads: pods that differ only elsewhere are captured alike. */
    private static Map<String, String> captureAnnotations(PodMeta pod) {
        Map<String, String> capture = new TreeMap<>();
        pod.annotations().forEach((key, value) -> {
            if (key.startsWith("traffic.sidecar.istio.io/") || key.equals("sidecar.istio.io/interceptionMode")) {
                capture.put(key, value);
            }
        });
        return capture;
    }
}
