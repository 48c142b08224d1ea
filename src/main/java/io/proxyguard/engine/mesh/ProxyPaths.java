package io.proxyguard.engine.mesh;

import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.workload.ProxyUrl;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link ProxyPath} of each proxy one workload uses, worked out once per evaluation and shared by the rules
 * that need it. Not thread-safe: one instance serves one evaluation.
 */
public final class ProxyPaths {

    private final ClusterView view;
    private final PodMeta pod;
    private final Map<String, ProxyPath> paths = new HashMap<>(4);

    public ProxyPaths(ClusterView view, PodMeta pod) {
        this.view = view;
        this.pod = pod;
    }

    /** The path to {@code url}, whose host must be an IP literal. */
    public ProxyPath of(ProxyUrl url) {
        return paths.computeIfAbsent(url.endpoint(), key -> ProxyPath.resolve(view, pod, url.ip().orElseThrow(), url.port()));
    }
}
