package io.proxyguard.engine.rules;

import io.proxyguard.engine.FieldPath;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.Violation;
import io.proxyguard.engine.mesh.ExportTo;
import io.proxyguard.engine.mesh.MeshSettings;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.mesh.Visibility;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.ProxyUseGroups.UseGroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/** PG110: two proxy entries of one namespace with the same placeholder host: only the oldest is used. */
final class SharedPlaceholderHostRule extends ProxyEntryRule {

    SharedPlaceholderHostRule() {
        super(new RuleInfo("PG110", Severity.WARN, "Proxy entries share a placeholder host",
                "The placeholder host is not really ignored: it names the Envoy cluster (outbound|3128||my-company-proxy.com) "
                        + "and Istio keeps one service per host and namespace, the oldest. A second proxy entry with the "
                        + "same host in the same namespace is silently dropped, so its proxy IP gets no listener; this is "
                        + "how several proxies behind one host name failed in istio/istio#55716. The same happens across "
                        + "namespaces: when proxy entries of different namespaces share a host and some namespace sees "
                        + "both (their exportTo lists overlap), a pod there keeps only one of them (its own namespace's, "
                        + "else the oldest) and the other proxy's IP gets no listener. Across namespaces it is reported "
                        + "only for entries that describe different proxies, and, when the view holds workloads, only if "
                        + "one that sends proxy traffic on the entries' ports sees both. Give each proxy entry its own "
                        + "placeholder host."));
    }

    @Override
    List<Violation> checkProxyEntry(ServiceEntryFacts entry, RuleContext context) {
        List<Violation> violations = new ArrayList<>();
        List<String> hosts = entry.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            FieldPath path = FieldPath.of("spec", "hosts", i);
            Optional<ServiceEntryFacts> sameNamespace = context.view().proxyEntriesWithHost(entry.ref().namespace(), host).stream()
                    .filter(other -> !ClusterView.sameObject(other.ref(), entry.ref()))
                    .findFirst();
            if (sameNamespace.isPresent()) {
                violations.add(path.violation("host " + host + " is also the placeholder of proxy entry " + sameNamespace.get().ref().name()
                        + "; Istio keeps only the oldest, so give each proxy entry its own host"));
            } else {
                sharedAcrossNamespaces(entry, host, context).ifPresent(other -> violations.add(path.violation("host " + host
                        + " is also the placeholder of proxy entry " + other.ref().namespacedName()
                        + ", and some namespace sees both; its pods keep only one, so give each proxy entry its own host")));
            }
        }
        return violations;
    }

    /**
     * A proxy entry of another namespace with the same host that some namespace sees together with this one, and that
     * describes another proxy (other addresses or ports): two copies of one entry lose nothing when one is dropped.
     */
    private static Optional<ServiceEntryFacts> sharedAcrossNamespaces(ServiceEntryFacts entry, String host, RuleContext context) {
        MeshSettings settings = context.view().mesh().settings("");
        ExportTo mine = Visibility.exportTo(entry, settings);
        return context.view().proxyEntriesWithHostAnywhere(host).stream()
                .filter(other -> !other.ref().namespace().equals(entry.ref().namespace()))
                .filter(other -> !sameProxy(entry, other))
                .filter(other -> someWorkloadSeesBoth(context.view(), entry, other))
                .filter(other -> mine.overlaps(entry.ref().namespace(), Visibility.exportTo(other, settings), other.ref().namespace()))
                .findFirst();
    }

    /**
     * True when a workload in view that sends proxy traffic on one of the entries' ports sees both through its
     * sidecar, or when the view holds no workloads (then any pod might).
     */
    private static boolean someWorkloadSeesBoth(ClusterView view, ServiceEntryFacts entry, ServiceEntryFacts other) {
        if (view.workloads().isEmpty()) {
            return true;
        }
        for (int port : entry.portNumbers()) {
            for (UseGroup group : view.proxyUseGroupsOnPort(port)) {
                ProxyPath path = group.path(view, port);
                if (path.throughSidecar() && Visibility.hiddenReason(entry, path.scope(), path.settings(), port).isEmpty()
                        && Visibility.hiddenReason(other, path.scope(), path.settings(), port).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sameProxy(ServiceEntryFacts a, ServiceEntryFacts b) {
        return proxyShape(a).equals(proxyShape(b));
    }

    /** The addresses and ports (number and protocol) of an entry, order ignored. */
    private static Set<String> proxyShape(ServiceEntryFacts entry) {
        Set<String> shape = new HashSet<>();
        entry.ipBlocks().forEach(b -> shape.add(b.block().addressText() + "/" + b.block().prefixLength()));
        entry.ports().forEach(p -> shape.add(p.getNumber() + ":" + PortProtocol.normalize(p.getProtocol())));
        return shape;
    }
}
