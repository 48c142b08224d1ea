package io.proxyguard.engine.mesh;

import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ClusterView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What happens to a pod's connection to its proxy's {@code IP:PORT}: whether a sidecar handles it at all (the
 * pod is injected and the connection captured), and if so, the Sidecar scope and policy in force and which
 * ServiceEntries covering that address the pod's proxy sees and which it does not (with the reason: exportTo, the
 * Sidecar's egress hosts, or another namespace's entry kept for the same host).
 */
public record ProxyPath(Enrollment enrollment, Optional<String> notCaptured, SidecarScope scope, MeshSettings settings,
                        List<ServiceEntryFacts> visibleEntries, List<HiddenEntry> hiddenEntries) {

    /** An entry covering the proxy that this pod cannot see, and why. */
    public record HiddenEntry(ServiceEntryFacts entry, String reason) {
    }

    /** The entry that names the proxy most exactly (a /32 before a /16) first: the one a message should name. */
    private static final Comparator<HiddenEntry> MOST_SPECIFIC_FIRST = Comparator.comparingInt(hidden -> -longestPrefix(hidden.entry()));

    private static int longestPrefix(ServiceEntryFacts entry) {
        int longest = 0;
        for (ServiceEntryFacts.IndexedBlock block : entry.ipBlocks()) {
            longest = Math.max(longest, block.block().prefixLength());
        }
        return longest;
    }

    public ProxyPath {
        visibleEntries = List.copyOf(visibleEntries);
        hiddenEntries = List.copyOf(hiddenEntries);
    }

    public static ProxyPath resolve(ClusterView view, PodMeta pod, byte[] ip, int port) {
        MeshIndex mesh = view.mesh();
        Enrollment enrollment = mesh.enrollment(pod);
        MeshSettings settings = mesh.settings(enrollment.revision());
        SidecarScope scope = mesh.scope(pod, settings);
        Optional<String> notCaptured = enrollment.dataPlane() == DataPlane.SIDECAR ? Interception.exclusion(pod, ip, port) : Optional.empty();
        List<ServiceEntryFacts> visible = new ArrayList<>(0);
        List<HiddenEntry> hidden = new ArrayList<>(0);
        for (ServiceEntryFacts entry : view.entriesCovering(ip, port)) {
            Optional<String> reason = Visibility.hiddenReason(entry, scope, settings, port)
                    .or(() -> NamespacePerHost.takenFrom(entry, view, scope, settings, port).map(taken -> "this pod keeps "
                            + taken.by().ref().namespacedName() + " for the same host " + taken.host()));
            if (reason.isPresent()) {
                hidden.add(new HiddenEntry(entry, reason.get()));
            } else {
                visible.add(entry);
            }
        }
        if (hidden.size() > 1) {
            hidden.sort(MOST_SPECIFIC_FIRST);
        }
        return new ProxyPath(enrollment, notCaptured, scope, settings, visible, hidden);
    }

    /** True when the connection reaches an Envoy sidecar: the mesh rules apply to it. */
    public boolean throughSidecar() {
        return enrollment.dataPlane() == DataPlane.SIDECAR && notCaptured.isEmpty();
    }

    /**
     * The Sidecar egress listener limited to {@code port} when it imports an entry covering the proxy: istiod then
     * builds the port's listener from it, and the proxy's entry takes the listener's protocol, not its own.
     */
    public Optional<EgressListener> portListener(int port) {
        return scope.portListener(port).filter(listener -> visibleEntries.stream()
                .anyMatch(entry -> listener.importsAny(entry.ref().namespace(), entry.hosts(), scope.podNamespace())));
    }

    public OutboundPolicy policy() {
        return scope.outboundPolicy();
    }

    /** {@code REGISTRY_ONLY (the mesh config)}: the policy in force and where it comes from. */
    public String policyText() {
        return policy().name() + " (" + scope.policySource() + ")";
    }
}
