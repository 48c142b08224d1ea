package io.proxyguard.policy;

import java.util.List;

/** PG106 in CEL: a proxy entry is not MESH_INTERNAL. */
final class MeshInternalCheck implements PolicyRule {

    @Override
    public RuleExpression expression() {
        return new RuleExpression("PG106", List.of(),
                "variables.location != 'MESH_INTERNAL'",
                "'PG106: location MESH_INTERNAL treats the legacy proxy as a mesh workload; set location: MESH_EXTERNAL'",
                "PG106: location MESH_INTERNAL treats the legacy proxy as a mesh workload; set location: MESH_EXTERNAL");
    }
}
