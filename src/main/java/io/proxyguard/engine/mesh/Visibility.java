package io.proxyguard.engine.mesh;

import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ServicePortUse;

import java.util.List;
import java.util.Optional;

/**
 * Whether a pod's proxy sees a ServiceEntry or a Kubernetes Service on a port: the object must be exported to
 * the pod's namespace (its exportTo, else meshConfig {@code defaultServiceExportTo}) and imported by the pod's
 * Sidecar resource, if one applies. Each answer is empty when the object is visible, else the reason it is not,
 * naming the object.
 */
public final class Visibility {

    private Visibility() {
    }

    public static Optional<String> hiddenReason(ServiceEntryFacts entry, SidecarScope scope, MeshSettings settings, int port) {
        ExportTo own = ExportTo.of(entry.spec().getExportTo());
        return hiddenReason(own, entry.ref().namespace(), entry.ref().namespacedName(), entry.hosts(), scope, settings, port);
    }

    /** The entry's exportTo, else the mesh's {@code defaultServiceExportTo} (push_context.go {@code serviceExportTo}). */
    public static ExportTo exportTo(ServiceEntryFacts entry, MeshSettings settings) {
        return ExportTo.of(entry.spec().getExportTo()).orElse(settings.defaultServiceExportTo());
    }

    public static Optional<String> hiddenReason(ServicePortUse service, SidecarScope scope, MeshSettings settings) {
        return hiddenReason(service.exportTo(), service.service().namespace(), service.service().namespacedName(),
                List.of(service.host()), scope, settings, service.port());
    }

    private static Optional<String> hiddenReason(ExportTo own, String namespace, String name, List<String> hosts,
                                                 SidecarScope scope, MeshSettings settings, int port) {
        ExportTo exportTo = own.orElse(settings.defaultServiceExportTo());
        if (!exportTo.exportsTo(namespace, scope.podNamespace())) {
            return Optional.of(own.isEmpty()
                    ? "defaultServiceExportTo " + exportTo.display() + " of the mesh config hides " + name
                    : "exportTo " + exportTo.display() + " of " + name);
        }
        if (!scope.imports(namespace, hosts, port)) {
            return Optional.of(scope.notImportedReason());
        }
        return Optional.empty();
    }
}
