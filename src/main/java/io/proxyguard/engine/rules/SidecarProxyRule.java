package io.proxyguard.engine.rules;

import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.workload.ProxyVariable;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * A workload rule about the mesh's handling of a proxy given by IP: it only judges variables whose connection to
 * the proxy reaches a sidecar (pods without one, ambient pods and uncaptured traffic never meet the mesh's rules).
 */
abstract class SidecarProxyRule extends ProxyVariableRule {

    SidecarProxyRule(RuleInfo info) {
        super(info);
    }

    @Override
    final Stream<String> problems(ProxyVariable variable, RuleContext context) {
        Optional<ProxyUrl> url = variable.url().filter(u -> u.ip().isPresent());
        if (url.isEmpty()) {
            return Stream.empty();
        }
        ProxyPath path = context.pathTo(url.get());
        return path.throughSidecar() ? problems(url.get(), path, context) : Stream.empty();
    }

    /** What is wrong with the sidecar's handling of the connection to {@code url}, one message per problem. */
    abstract Stream<String> problems(ProxyUrl url, ProxyPath path, RuleContext context);
}
