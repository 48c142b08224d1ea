package io.proxyguard.engine.rules;

import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryLocation;
import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.model.ServiceEntryFacts;

import java.util.List;

/** PG106: the legacy proxy is outside the mesh. */
final class MeshInternalProxyRule extends ProxyEntryRule {

    MeshInternalProxyRule() {
        super(new RuleInfo("PG106", Severity.WARN, "Proxy entry is MESH_INTERNAL",
                "MESH_INTERNAL tells the sidecar that the destination is part of the mesh: Istio may then apply mesh "
                        + "policies to it (mutual TLS, identity-based authorization, mesh telemetry labels) that a "
                        + "legacy proxy cannot take part in. A corporate proxy is by definition outside the mesh; the "
                        + "guide sets location: MESH_EXTERNAL. The fix sets it."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        if (entry.location() != ServiceEntryLocation.MESH_INTERNAL) {
            return List.of();
        }
        return List.of(FieldPath.of("spec", "location").fixable(
                "location MESH_INTERNAL treats the legacy proxy as a mesh workload; set location: MESH_EXTERNAL",
                TextNode.valueOf("MESH_EXTERNAL"), "location MESH_INTERNAL -> MESH_EXTERNAL"));
    }
}
