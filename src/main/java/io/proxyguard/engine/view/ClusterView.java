package io.proxyguard.engine.view;

import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.proxy.ProxyEndpoint;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What else exists beside the object being judged: the cluster's objects in the webhook (an informer
 * cache), the other input documents in the offline validator. Implementations answer from indexes,
 * never by scanning or by calling an API server.
 */
public interface ClusterView {

    ClusterView EMPTY = new ClusterView() {
        @Override
        public List<ServiceEntryFacts> proxyEntries() {
            return List.of();
        }

        @Override
        public Set<ProxyEndpoint> workloadProxies() {
            return Set.of();
        }
    };

    /** The proxy entries in view. */
    List<ServiceEntryFacts> proxyEntries();

    /** Some proxy entry in view other than {@code self} (the object being judged may be in view already). */
    default Optional<ServiceEntryFacts> anyProxyEntryOtherThan(ResourceRef self) {
        for (ServiceEntryFacts entry : proxyEntries()) {
            if (!sameObject(entry.ref(), self)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** The proxies that workloads in view use through {@code HTTPS_PROXY}/{@code HTTP_PROXY}. */
    Set<ProxyEndpoint> workloadProxies();

    static boolean sameObject(ResourceRef a, ResourceRef b) {
        return a.kind().equals(b.kind()) && a.namespace().equals(b.namespace()) && a.name().equals(b.name());
    }
}
