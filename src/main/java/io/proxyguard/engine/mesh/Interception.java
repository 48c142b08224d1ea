package io.proxyguard.engine.mesh;

import io.proxyguard.engine.model.IpBlock;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Whether the sidecar's iptables rules send a pod's outbound connection to Envoy at all, from the pod's
 * annotations, in the order istio-iptables installs its rules (the first match wins): excluded ports, excluded
 * IP ranges, included ports, included IP ranges ({@code *}, Istio's default, means all; an empty value none).
 * {@code sidecar.istio.io/interceptionMode: NONE} captures nothing. Traffic that is not captured never meets
 * Envoy: protocol, exportTo, Sidecar resources and the outbound policy do not matter for it.
 */
public final class Interception {

    static final String MODE = "sidecar.istio.io/interceptionMode";
    static final String EXCLUDE_PORTS = "traffic.sidecar.istio.io/excludeOutboundPorts";
    static final String EXCLUDE_RANGES = "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    static final String INCLUDE_PORTS = "traffic.sidecar.istio.io/includeOutboundPorts";
    static final String INCLUDE_RANGES = "traffic.sidecar.istio.io/includeOutboundIPRanges";

    private Interception() {
    }

    /** Empty when a connection to {@code ip}:{@code port} reaches the sidecar, else why it does not. */
    public static Optional<String> exclusion(PodMeta pod, byte[] ip, int port) {
        if (pod.annotation(MODE).trim().equalsIgnoreCase("NONE")) {
            return Optional.of("its annotation " + MODE + " is NONE");
        }
        if (listsPort(pod.annotation(EXCLUDE_PORTS), port)) {
            return Optional.of("its annotation " + EXCLUDE_PORTS + " excludes port " + port);
        }
        if (coversIp(pod.annotation(EXCLUDE_RANGES), ip)) {
            return Optional.of("its annotation " + EXCLUDE_RANGES + " excludes " + IpBlock.format(ip));
        }
        if (listsPort(pod.annotation(INCLUDE_PORTS), port)) {
            return Optional.empty();
        }
        String included = pod.annotations().containsKey(INCLUDE_RANGES) ? pod.annotation(INCLUDE_RANGES) : "*";
        if (coversIp(included, ip)) {
            return Optional.empty();
        }
        return Optional.of("its annotation " + INCLUDE_RANGES + " (\"" + included + "\") does not include " + IpBlock.format(ip));
    }

    private static List<String> items(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean listsPort(String value, int port) {
        return items(value).stream().anyMatch(item -> item.equals("*") || item.equals(Integer.toString(port)));
    }

    private static boolean coversIp(String value, byte[] ip) {
        for (String item : items(value)) {
            if (item.equals("*") || IpBlock.parse(item).filter(block -> block.contains(ip)).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
