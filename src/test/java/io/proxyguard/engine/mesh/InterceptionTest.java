package io.proxyguard.engine.mesh;

import io.proxyguard.engine.model.IpBlock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static io.proxyguard.engine.mesh.MeshScenario.pod;
import static io.proxyguard.engine.mesh.MeshScenario.podMeta;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether the sidecar's iptables capture a pod's connection to its proxy, from the pod's annotations, in the order
 * istio-iptables installs its rules (tools/istio-iptables/pkg/capture/run.go): excluded ports, loopback, excluded
 * ranges, included ports, included ranges.
 */
class InterceptionTest {

    record Row(String name, String annotations, String proxy, Optional<String> exclusion) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row captured(String name, String annotations, String proxy) {
        return new Row(name, annotations, proxy, Optional.empty());
    }

    private static Row notCaptured(String name, String annotations, String proxy, String why) {
        return new Row(name, annotations, proxy, Optional.of(why));
    }

    static Stream<Row> rows() {
        return Stream.of(
                captured("no annotation: everything outbound is captured", "{}", "10.10.0.5:3128"),
                notCaptured("excludeOutboundPorts names the proxy's port", "{traffic.sidecar.istio.io/excludeOutboundPorts: \"8080,3128\"}",
                        "10.10.0.5:3128", "its annotation traffic.sidecar.istio.io/excludeOutboundPorts excludes port 3128"),
                captured("excludeOutboundPorts of other ports", "{traffic.sidecar.istio.io/excludeOutboundPorts: \"8080, 9090\"}", "10.10.0.5:3128"),
                captured("a * is no port: istio-iptables knows no wildcard there", "{traffic.sidecar.istio.io/excludeOutboundPorts: \"*\"}",
                        "10.10.0.5:3128"),
                notCaptured("excludeOutboundIPRanges covers the proxy", "{traffic.sidecar.istio.io/excludeOutboundIPRanges: \"10.10.0.0/16\"}",
                        "10.10.0.5:3128", "its annotation traffic.sidecar.istio.io/excludeOutboundIPRanges excludes 10.10.0.5"),
                captured("excludeOutboundIPRanges elsewhere", "{traffic.sidecar.istio.io/excludeOutboundIPRanges: \"10.20.0.0/16,192.168.0.0/24\"}",
                        "10.10.0.5:3128"),
                captured("includeOutboundIPRanges * (Istio's default)", "{traffic.sidecar.istio.io/includeOutboundIPRanges: \"*\"}", "10.10.0.5:3128"),
                captured("includeOutboundIPRanges covers the proxy", "{traffic.sidecar.istio.io/includeOutboundIPRanges: \"10.10.0.0/16\"}",
                        "10.10.0.5:3128"),
                notCaptured("includeOutboundIPRanges elsewhere", "{traffic.sidecar.istio.io/includeOutboundIPRanges: \"10.96.0.0/12\"}",
                        "10.10.0.5:3128", "its annotation traffic.sidecar.istio.io/includeOutboundIPRanges (\"10.96.0.0/12\") does not include 10.10.0.5"),
                notCaptured("an empty includeOutboundIPRanges captures nothing", "{traffic.sidecar.istio.io/includeOutboundIPRanges: \"\"}",
                        "10.10.0.5:3128", "its annotation traffic.sidecar.istio.io/includeOutboundIPRanges (\"\") does not include 10.10.0.5"),
                captured("includeOutboundPorts comes before the included ranges",
                        "{traffic.sidecar.istio.io/includeOutboundIPRanges: \"\", traffic.sidecar.istio.io/includeOutboundPorts: \"3128\"}",
                        "10.10.0.5:3128"),
                notCaptured("excluded ranges come before included ports",
                        "{traffic.sidecar.istio.io/excludeOutboundIPRanges: \"10.10.0.5/32\", traffic.sidecar.istio.io/includeOutboundPorts: \"3128\"}",
                        "10.10.0.5:3128", "excludeOutboundIPRanges excludes 10.10.0.5"),
                notCaptured("excluded ports come before everything",
                        "{traffic.sidecar.istio.io/excludeOutboundPorts: \"3128\", traffic.sidecar.istio.io/includeOutboundPorts: \"3128\"}",
                        "10.10.0.5:3128", "excludeOutboundPorts excludes port 3128"),
                notCaptured("interceptionMode NONE captures nothing", "{sidecar.istio.io/interceptionMode: NONE}", "10.10.0.5:3128",
                        "its annotation sidecar.istio.io/interceptionMode is NONE"),
                captured("interceptionMode is compared exactly: none is not NONE", "{sidecar.istio.io/interceptionMode: none}", "10.10.0.5:3128"),
                captured("interceptionMode TPROXY captures", "{sidecar.istio.io/interceptionMode: TPROXY}", "10.10.0.5:3128"),
                notCaptured("a proxy on the loopback interface is never captured", "{}", "127.0.0.1:3128",
                        "the destination 127.0.0.1 is on the loopback interface"),
                notCaptured("nor on IPv6 loopback", "{}", "[::1]:3128", "the destination ::1 is on the loopback interface"),
                captured("other loopback addresses are captured when the included ranges name loopback",
                        "{traffic.sidecar.istio.io/includeOutboundIPRanges: \"127.0.0.0/8\"}", "127.0.0.2:3128"),
                notCaptured("127.0.0.1 never is", "{traffic.sidecar.istio.io/includeOutboundIPRanges: \"127.0.0.0/8\"}", "127.0.0.1:3128",
                        "the destination 127.0.0.1 is on the loopback interface"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void capturesAsIstioIptablesDoes(Row row) {
        PodMeta pod = podMeta(pod("shop", "annotations: " + row.annotations(), ""));
        int colon = row.proxy().lastIndexOf(':');
        byte[] ip = IpBlock.parseLiteral(row.proxy().substring(0, colon).replace("[", "").replace("]", "")).orElseThrow();

        Optional<String> exclusion = Interception.exclusion(pod, ip, Integer.parseInt(row.proxy().substring(colon + 1)));

        assertThat(exclusion.isPresent()).as(exclusion.orElse("captured")).isEqualTo(row.exclusion().isPresent());
        row.exclusion().ifPresent(why -> assertThat(exclusion.orElseThrow()).contains(why));
    }
}
