package io.proxyguard.engine.rules;

import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.proxyguard.engine.RuleContext;
import io.proxyguard.engine.mesh.ProxyPath;
import io.proxyguard.engine.RuleInfo;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.workload.ProxyUrl;
import io.proxyguard.engine.workload.ProxyVariable;

import java.util.Optional;
import java.util.stream.Stream;

/** PG206: PG101 seen from the workload: its proxy's ServiceEntry is not TCP on the proxy's port. */
final class ProxyEntryNotTcpForWorkloadRule extends SidecarProxyRule {

    ProxyEntryNotTcpForWorkloadRule() {
        super(new RuleInfo("PG206", Severity.WARN, "Workload proxy's ServiceEntry is not TCP",
                "The workload's proxy has a ServiceEntry, but that entry's port is not TCP (the PG101 case): every "
                        + "CONNECT this workload sends is answered 404 NR route_not_found by its own sidecar, and the "
                        + "application reports \"Received HTTP code 404 from proxy after CONNECT\". The warning is on the "
                        + "workload because that is where the failure shows; the fix is protocol: TCP on the entry. Only "
                        + "entries this pod's sidecar sees count (exportTo, Sidecar egress), and only pods whose "
                        + "connection to the proxy reaches a sidecar are judged. A Sidecar egress listener on the proxy's port "
                        + "that imports the entry overrides its protocol (PG209 judges that listener)."));
    }

    @Override
    Stream<String> problems(ProxyUrl url, ProxyPath path, RuleContext context) {
        int port = url.port();
        if (path.portListener(port).isPresent()) {
            return Stream.empty(); // the Sidecar's listener on the port sets the protocol, not the entry (PG209)
        }
        return path.visibleEntries().stream().flatMap(entry ->
                protocolOn(entry, port).filter(p -> !PortProtocol.isTcp(p)).stream().map(protocol ->
                        "proxy " + url.endpoint() + " has ServiceEntry " + entry.ref().namespacedName()
                                + " with protocol " + (protocol.isEmpty() ? "(unset)" : protocol)
                                + ", so CONNECT gets 404; set protocol: TCP there"));
    }

    private static Optional<String> protocolOn(ServiceEntryFacts entry, int port) {
        return entry.ports().stream()
                .filter(p -> p.getNumber() != null && p.getNumber() == port)
                .map(ServicePort::getProtocol)
                .map(PortProtocol::normalize)
                .findFirst();
    }
}
