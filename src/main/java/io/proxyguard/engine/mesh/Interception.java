package io.proxyguard.engine.mesh;

import io.proxyguard.engine.model.IpBlock;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Whether the sidecar's iptables rules send a pod's outbound connection to Envoy at all, from the pod's
 * annotations, in the order istio-iptables installs its ISTIO_OUTPUT rules (tools/istio-iptables/pkg/capture/run.go;
 * the first match wins): excluded ports; loopback destinations; excluded IP ranges; included ports; included IP
 * ranges ({@code *} as the whole value, Istio's default, means all; an empty value, none). Ports are numbers and
 * ranges CIDRs: istio-iptables knows no {@code *} among them. {@code sidecar.istio.io/interceptionMode: NONE}
 * (exactly, as the injector's template compares it) captures nothing. Traffic that is not captured never meets
 * Envoy: protocol, exportTo, Sidecar resources and the outbound policy do not matter for it.
 */
public final class Interception {

    static final String MODE = "sidecar.istio.io/interceptionMode";
    static final String EXCLUDE_PORTS = "traffic.sidecar.istio.io/excludeOutboundPorts";
    static final String EXCLUDE_RANGES = "traffic.sidecar.istio.io/excludeOutboundIPRanges";
    static final String INCLUDE_PORTS = "traffic.sidecar.istio.io/includeOutboundPorts";
    static final String INCLUDE_RANGES = "traffic.sidecar.istio.io/includeOutboundIPRanges";

    /** Destinations istio-iptables always returns early ({@code HostIPv4LoopbackCidr} and {@code ::1/128}). */
    private static final List<IpBlock> HOST_LOOPBACK = List.of(IpBlock.parse("127.0.0.1/32").orElseThrow(), IpBlock.parse("::1/128").orElseThrow());
    private static final List<IpBlock> LOOPBACK = List.of(IpBlock.parse("127.0.0.0/8").orElseThrow(), IpBlock.parse("::1/128").orElseThrow());

    private Interception() {
    }

    /** Empty when a connection to {@code ip}:{@code port} reaches the sidecar, else why it does not. */
    public static Optional<String> exclusion(PodMeta pod, byte[] ip, int port) {
        if (pod.annotation(MODE).equals("NONE")) {
            return Optional.of("its annotation " + MODE + " is NONE");
        }
        if (listsPort(pod.annotation(EXCLUDE_PORTS), port)) {
            return Optional.of("its annotation " + EXCLUDE_PORTS + " excludes port " + port);
        }
        String included = pod.annotations().containsKey(INCLUDE_RANGES) ? pod.annotation(INCLUDE_RANGES).trim() : "*";
        List<IpBlock> includedBlocks = included.equals("*") ? List.of() : blocks(included);
        // "-o lo ... -j RETURN" is left out when the included ranges hold a loopback address; 127.0.0.1 returns anyway
        boolean loopbackIncluded = false;
        for (IpBlock block : includedBlocks) {
            loopbackIncluded |= anyContains(LOOPBACK, block.address());
        }
        if (anyContains(loopbackIncluded ? HOST_LOOPBACK : LOOPBACK, ip)) {
            return Optional.of("the destination " + IpBlock.format(ip) + " is on the loopback interface, which the sidecar never captures");
        }
        if (anyContains(blocks(pod.annotation(EXCLUDE_RANGES)), ip)) {
            return Optional.of("its annotation " + EXCLUDE_RANGES + " excludes " + IpBlock.format(ip));
        }
        if (listsPort(pod.annotation(INCLUDE_PORTS), port) || included.equals("*") || anyContains(includedBlocks, ip)) {
            return Optional.empty();
        }
        return Optional.of("its annotation " + INCLUDE_RANGES + " (\"" + included + "\") does not include " + IpBlock.format(ip));
    }

    private static List<String> items(String value) {
        if (value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** True when the comma-separated port list names {@code port} (as istio-iptables reads it: "03128" is 3128). */
    private static boolean listsPort(String value, int port) {
        for (String item : items(value)) {
            if (item.chars().allMatch(Character::isDigit) && item.length() <= 5 && Integer.parseInt(item) == port) {
                return true;
            }
        }
        return false;
    }

    private static List<IpBlock> blocks(String value) {
        return items(value).stream().map(IpBlock::parse).flatMap(Optional::stream).toList();
    }

    private static boolean anyContains(List<IpBlock> blocks, byte[] ip) {
        for (IpBlock block : blocks) {
            if (block.contains(ip)) {
                return true;
            }
        }
        return false;
    }
}
