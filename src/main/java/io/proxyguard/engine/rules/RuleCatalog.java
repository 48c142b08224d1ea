package io.proxyguard.engine.rules;

import io.proxyguard.engine.Rule;
import io.proxyguard.engine.ServiceEntryRule;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Every rule ProxyGuard has, in ID order. */
public record RuleCatalog(List<ServiceEntryRule> serviceEntryRules) {

    private static final RuleCatalog STANDARD = new RuleCatalog(List.of(
            new ProxyPortNotTcpRule(),
            new BareIpAddressRule(),
            new WideOrInvalidAddressRule(),
            new MissingAddressRule(),
            new DnsResolutionRule(),
            new MeshInternalProxyRule(),
            new RedundantProxiedHostRule(),
            new MultipleAddressesRule()));

    public RuleCatalog {
        serviceEntryRules = List.copyOf(serviceEntryRules);
    }

    public static RuleCatalog standard() {
        return STANDARD;
    }

    public List<Rule> all() {
        return List.copyOf(serviceEntryRules);
    }

    public Set<String> ids() {
        Set<String> ids = new LinkedHashSet<>();
        all().forEach(rule -> ids.add(rule.id()));
        return ids;
    }

    public Optional<Rule> byId(String id) {
        return all().stream().filter(rule -> rule.id().equals(id)).findFirst();
    }
}
