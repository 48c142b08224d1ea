package io.proxyguard.engine;

import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.mesh.PodMeta;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.mesh.ProxyPaths;
import io.proxyguard.engine.proxy.ProxyMatch;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.view.ClusterView;

import java.util.Optional;

/**
 * What a rule may consult beside the object itself: the configuration, the cluster view, and whether the
 * object is a proxy entry (decided once per object by the engine), or, for a workload, its proxies' paths
 * through the mesh.
 */
public record RuleContext(ProxyGuardConfig config, ClusterView view, Optional<ProxyMatch> proxyMatch,
                          Optional<ProxyPaths> proxyPaths) {

    /** The context of a ServiceEntry. */
    public static RuleContext forServiceEntry(ProxyGuardConfig config, ClusterView view, Optional<ProxyMatch> proxyMatch) {
        return new RuleContext(config, view, proxyMatch, Optional.empty());
    }

    /** The context of a workload: its proxies' paths through the mesh are worked out once, on first use. */
    public static RuleContext forWorkload(ProxyGuardConfig config, ClusterView view, PodMeta pod) {
        return new RuleContext(config, view, Optional.empty(), Optional.of(new ProxyPaths(view, pod)));
    }

    /** What happens to the workload's connections to {@code url} (an IP literal) in the mesh. */
    public ProxyPath pathTo(ProxyUrl url) {
        return proxyPaths.orElseThrow(() -> new IllegalStateException("not a workload's context")).of(url);
    }

    public boolean isProxyEntry() {
        return proxyMatch.isPresent();
    }
}
