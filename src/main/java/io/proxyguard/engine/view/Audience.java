package io.proxyguard.engine.view;

import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.view.WorkloadEgressIndex.EnvGroup;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.workload.Route;
import io.proxyguard.engine.workload.WebScheme;
import io.proxyguard.engine.workload.WorkloadEnv;

import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workloads that can see one ServiceEntry on one port, grouped by proxy environment. Equal environments are
 * one instance (the index shares them), so each distinct one is routed once per question.
 */
public record Audience(List<EnvGroup> groups) {

    /** No workload at all. */
    public static final Audience NOBODY = new Audience(List.of());

    private static final Comparator<ResourceRef> BY_NAME = Comparator.comparing(ResourceRef::namespace).thenComparing(ResourceRef::name);

    public Audience {
        groups = List.copyOf(groups);
    }

    /** True when no workload in view can see the entry on the port. */
    public boolean isEmpty() {
        return groups.isEmpty();
    }

    public int workloads() {
        return groups.stream().mapToInt(group -> group.workloads().size()).sum();
    }

    /**
     * What the workloads' environments say about a request for {@code host} on {@code port}: whether every one of
     * them sends it through a proxy, and if not, one that does not and why. Asked only of an audience with workloads.
     */
    public Evidence route(String host, int port, WebScheme scheme) {
        if (isEmpty()) {
            throw new IllegalStateException("no workload can see the entry: nothing to route");
        }
        Set<ProxyUrl> proxies = new LinkedHashSet<>();
        ResourceRef example = null;
        ProxyUrl exampleProxy = null;
        Map<WorkloadEnv, Route> routes = new IdentityHashMap<>();
        for (EnvGroup group : groups) {
            Route route = routes.computeIfAbsent(group.env(), env -> env.route(host, port, scheme));
            ResourceRef first = group.workloads().get(0);
            if (!route.isProxied()) {
                return new Evidence(false, workloads(), first, List.of(), Optional.of(route));
            }
            proxies.add(route.proxy().orElseThrow());
            if (example == null || BY_NAME.compare(first, example) < 0) {
                example = first;
                exampleProxy = route.proxy().orElseThrow();
            }
        }
        Set<ProxyUrl> exampleFirst = new LinkedHashSet<>();
        exampleFirst.add(exampleProxy);
        exampleFirst.addAll(proxies);
        return new Evidence(true, workloads(), example, List.copyOf(exampleFirst), Optional.empty());
    }

    /**
     * The answer for one host: {@code allProxied} when every workload of the audience sends it through a proxy (then
     * {@code example} is the first of them by name and {@code proxies} the proxies they use, its own first), else {@code example} is
     * a workload that does not and {@code exception} says where it sends the request.
     */
    public record Evidence(boolean allProxied, int workloads, ResourceRef example, List<ProxyUrl> proxies,
                           Optional<Route> exception) {
        public Evidence {
            proxies = List.copyOf(proxies);
        }
    }
}
