package io.proxyguard.engine.rules;

import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryLocation;
import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.config.WebPorts;
import io.proxyguard.engine.model.IpBlock;
import io.proxyguard.engine.model.PortProtocol;
import io.proxyguard.engine.model.ServiceEntryFacts;
import io.proxyguard.engine.workload.WebScheme;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which ServiceEntries, and which of their ports, describe traffic that an HTTP client could send through a proxy:
 * PG107's candidates. {@code HTTPS_PROXY} and its kin are read by HTTP clients for HTTP(S) requests to a host name;
 * they carry no SSH, no database protocol, nothing sent to an explicit endpoint and nothing in the pod or the cluster.
 */
final class ProxyableTraffic {

    /** Addresses no proxy is ever asked for: loopback and link-local, IPv4 and IPv6. */
    private static final List<IpBlock> LOCAL_RANGES = List.of("127.0.0.0/8", "::1/128", "169.254.0.0/16", "fe80::/10").stream()
            .map(cidr -> IpBlock.parse(cidr).orElseThrow()).toList();

    /** A port whose traffic is web traffic of {@code scheme}; {@code index} is its place in {@code spec.ports}. */
    record WebPort(int index, int number, WebScheme scheme) {
    }

    private ProxyableTraffic() {
    }

    /**
     * Why no port of the entry can be reached through a proxy, if so: it is MESH_INTERNAL (a mesh workload), it
     * routes to explicit {@code endpoints} or a {@code workloadSelector} (the entry says where connections go), or
     * an address lies on loopback, link-local or the cluster's own ranges ({@code clusterRanges}).
     */
    static Optional<String> neverProxied(ServiceEntryFacts entry, ProxyGuardConfig config) {
        if (entry.location() == ServiceEntryLocation.MESH_INTERNAL) {
            return Optional.of("it is MESH_INTERNAL");
        }
        if (entry.spec().getEndpoints() != null && !entry.spec().getEndpoints().isEmpty()) {
            return Optional.of("it routes to explicit endpoints");
        }
        if (entry.spec().getWorkloadSelector() != null) {
            return Optional.of("it selects workloads");
        }
        for (ServiceEntryFacts.IndexedBlock address : entry.ipBlocks()) {
            if (LOCAL_RANGES.stream().anyMatch(range -> range.contains(address.block().address()))) {
                return Optional.of("its address " + address.block().text() + " is loopback or link-local");
            }
            if (config.clusterRanges().stream().anyMatch(range -> range.contains(address.block().address()))) {
                return Optional.of("its address " + address.block().text() + " is in clusterRanges");
            }
        }
        return Optional.empty();
    }

    /** The entry's web ports, in {@code spec.ports} order. */
    static List<WebPort> webPorts(ServiceEntryFacts entry, WebPorts webPorts) {
        List<WebPort> found = new ArrayList<>();
        List<ServicePort> ports = entry.ports();
        for (int i = 0; i < ports.size(); i++) {
            Long number = ports.get(i).getNumber();
            if (number != null) {
                int port = number.intValue();
                int index = i;
                schemeOf(ports.get(i).getProtocol(), port, webPorts).ifPresent(scheme -> found.add(new WebPort(index, port, scheme)));
            }
        }
        return found;
    }

    /**
     * The scheme of a port's requests, or empty when HTTP clients do not send it through a proxy. HTTPS is https;
     * GRPC is https too (grpc-go and gRPC core look up HTTPS_PROXY for every target); HTTP, HTTP2, HTTP_PROXY and
     * GRPC-Web are http. TLS, TCP and an unset protocol say nothing about HTTP: they count only on a web port
     * ({@code webPorts}), TLS as https, the others with the scheme of their port. MONGO, MYSQL, REDIS, UDP: never.
     */
    static Optional<WebScheme> schemeOf(String protocol, int port, WebPorts webPorts) {
        return switch (PortProtocol.normalize(protocol)) {
            case "HTTPS", "GRPC" -> Optional.of(WebScheme.HTTPS);
            case "HTTP", "HTTP2", "HTTP_PROXY", "GRPC-WEB" -> Optional.of(WebScheme.HTTP);
            case "TLS" -> webPorts.schemeOf(port).map(scheme -> WebScheme.HTTPS);
            case "TCP", "" -> webPorts.schemeOf(port);
            default -> Optional.empty();
        };
    }
}
