package io.proxyguard.engine.rules;

import io.proxyguard.config.ProxyDefinition;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.rules.ProxyableTraffic.WebPort;
import io.proxyguard.engine.view.Audience;
import io.proxyguard.engine.view.WorkloadEgressIndex;
import io.proxyguard.engine.workload.ProxyUrl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PG107's judgement of one entry, port by port: which of its hosts every workload that can see it sends through a
 * proxy, or, when no workload in view can see it, which ones the configuration says are proxied (proxiedHosts minus
 * noProxy, with a known proxy). Also words the reason, with its evidence, for the rule's messages.
 */
final class RedundancyJudge {

    /** The hosts of the entry taken as reached through a proxy on {@code port}, each with what says so. */
    record PortVerdict(WebPort port, Map<String, Basis> redundantHosts) {
        PortVerdict {
            redundantHosts = Map.copyOf(redundantHosts);
        }

        boolean covers(List<String> hosts) {
            return redundantHosts.keySet().containsAll(hosts);
        }
    }

    /** The workloads' evidence, or none: then the configuration decided, with or without workloads in view. */
    record Basis(Optional<Audience.Evidence> evidence, boolean workloadsInView) {
    }

    private final ServiceEntryFacts entry;
    private final RuleContext context;
    private final WorkloadEgressIndex egress;
    private final List<String> hosts;
    private final Optional<String> configuredProxy;

    RedundancyJudge(ServiceEntryFacts entry, RuleContext context) {
        this.entry = entry;
        this.context = context;
        this.egress = context.view().workloadEgress();
        this.hosts = entry.hosts().stream().distinct().toList();
        this.configuredProxy = configuredProxy(entry, context);
    }

    /** The entry's hosts, each once. */
    List<String> hosts() {
        return hosts;
    }

    PortVerdict judge(WebPort port) {
        Audience audience = egress.audience(entry, port.number());
        Map<String, Basis> redundant = new HashMap<>();
        if (audience.isEmpty()) {
            if (configuredProxy.isPresent()) {
                Basis basis = new Basis(Optional.empty(), !egress.knowsNoWorkloads());
                hosts.stream().filter(context.config()::isProxied).forEach(host -> redundant.put(host, basis));
            }
        } else {
            for (String host : hosts) {
                Audience.Evidence evidence = audience.route(host, port.number(), port.scheme());
                if (evidence.allProxied()) {
                    redundant.put(host, new Basis(Optional.of(evidence), true));
                }
            }
        }
        return new PortVerdict(port, redundant);
    }

    /**
     * {@code a.example.com is sent through corp-proxy (10.10.0.5:3128) by all 3 workloads that can see this entry,
     * e.g. shop/checkout}, or, without evidence, {@code a.example.com is reached through proxy corp-proxy
     * (10.10.0.5:3128) (judged from proxiedHosts: no workloads in view)}.
     */
    String reason(List<String> subject, PortVerdict verdict) {
        Basis basis = verdict.redundantHosts().get(subject.get(0));
        String named = subject.get(0) + (subject.size() == 1 ? " is" : " and " + (subject.size() - 1) + " more are");
        if (basis.evidence().isEmpty()) {
            return named + " reached through proxy " + configuredProxy.orElseThrow() + " (judged from proxiedHosts: "
                    + (basis.workloadsInView() ? "no workload in view can see this entry" : "no workloads in view") + ")";
        }
        Audience.Evidence evidence = basis.evidence().get();
        String example = evidence.example().namespacedName();
        String who = switch (evidence.workloads()) {
            case 1 -> "the only workload that can see this entry, " + example;
            case 2 -> "both workloads that can see this entry, e.g. " + example;
            default -> "all " + evidence.workloads() + " workloads that can see this entry, e.g. " + example;
        };
        return named + " sent through " + proxies(evidence.proxies()) + " by " + who;
    }

    String pronoun(List<String> subject) {
        return subject.size() == 1 ? "it" : "them";
    }

    /** {@code corp-proxy (10.10.0.5:3128)}, or {@code proxy 10.20.0.9:3128 and 1 other proxy}. */
    private String proxies(List<ProxyUrl> urls) {
        String first = named(urls.get(0));
        int others = urls.size() - 1;
        return others == 0 ? first : first + " and " + others + " other prox" + (others == 1 ? "y" : "ies");
    }

    private String named(ProxyUrl url) {
        Optional<byte[]> ip = url.ip();
        return context.config().proxies().stream()
                .filter(p -> p.port() == url.port() && ip.isPresent() && p.block().contains(ip.get()))
                .map(ProxyDefinition::display).findFirst()
                .orElse("proxy " + url.endpoint());
    }

    /** The proxy the configuration knows: the first configured one, else a proxy entry in view. */
    private static Optional<String> configuredProxy(ServiceEntryFacts entry, RuleContext context) {
        return context.config().proxies().isEmpty()
                ? context.view().anyProxyEntryOtherThan(entry.ref()).map(proxyEntry -> "entry " + proxyEntry.ref().namespacedName())
                : Optional.of(context.config().proxies().get(0).display());
    }
}
