package io.proxyguard.engine;

import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.proxy.ProxyMatch;
import io.proxyguard.engine.view.ClusterView;

import java.util.Optional;

/**
 * What a rule may consult beside the object itself: the configuration, the cluster view, and whether the
 * object is a proxy entry (decided once per object by the engine).
 */
public record RuleContext(ProxyGuardConfig config, ClusterView view, Optional<ProxyMatch> proxyMatch) {

    public boolean isProxyEntry() {
        return proxyMatch.isPresent();
    }
}
