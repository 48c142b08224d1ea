package io.proxyguard.engine.rules;

import io.proxyguard.engine.Rule;
import io.proxyguard.engine.ServiceEntryRule;
import io.proxyguard.engine.WorkloadRule;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Every rule ProxyGuard has, in ID order. */
public record RuleCatalog(List<ServiceEntryRule> serviceEntryRules, List<WorkloadRule> workloadRules) {

    private static final RuleCatalog STANDARD = new RuleCatalog(
            List.of(
                    new ProxyPortNotTcpRule(),
                    new BareIpAddressRule(),
                    new WideOrInvalidAddressRule(),
                    new MissingAddressRule(),
                    new DnsResolutionRule(),
                    new MeshInternalProxyRule(),
                    new RedundantProxiedHostRule(),
                    new MultipleAddressesRule(),
                    new HttpPortCollisionRule(),
                    new SharedPlaceholderHostRule(),
                    new DnsPortHijackRule()),
            List.of(
                    new UnregisteredProxyRule(),
                    new ProxyByHostNameRule(),
                    new ProxyCredentialsInEnvRule(),
                    new IncompleteNoProxyRule(),
                    new UnparsableProxyRule(),
                    new ProxyEntryNotTcpForWorkloadRule(),
                    new HiddenProxyEntryRule(),
                    new HttpListenerOnProxyPortRule(),
                    new SidecarListenerProtocolRule()));

    public RuleCatalog {
        serviceEntryRules = List.copyOf(serviceEntryRules);
        workloadRules = List.copyOf(workloadRules);
    }

    public static RuleCatalog standard() {
        return STANDARD;
    }

    public List<Rule> all() {
        List<Rule> all = new java.util.ArrayList<>(serviceEntryRules);
        all.addAll(workloadRules);
        return List.copyOf(all);
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
