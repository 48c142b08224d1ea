package io.proxyguard.engine.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.model.KubeObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code networking.istio.io} Sidecar resource, reduced to what decides visibility: its workload selector,
 * its egress listeners and its outbound traffic policy. Read from the raw JSON; a field of the wrong type is
 * taken as absent (the API server's schema rejects such objects anyway).
 *
 * @param creationTimestamp RFC 3339 text, "" when absent (offline input): the oldest Sidecar wins
 * @param selector          {@code workloadSelector.labels}; empty for a namespace-wide Sidecar
 * @param egress            the egress listeners; none means the Sidecar imports {@code * /*}
 */
public record SidecarResource(ResourceRef ref, String creationTimestamp, Map<String, String> selector,
                              List<EgressListener> egress, Optional<OutboundPolicy> outboundPolicy) {

    public static final String KIND = "Sidecar";

    /** Oldest first, then by namespace and name, as istiod orders configs of one kind. */
    public static final Comparator<SidecarResource> OLDEST_FIRST = Comparator.comparing(SidecarResource::creationTimestamp)
            .thenComparing(s -> s.ref().namespace()).thenComparing(s -> s.ref().name());

    public SidecarResource {
        selector = Map.copyOf(selector);
        egress = List.copyOf(egress);
    }

    /** One egress listener: the port it is limited to, if any, and the hosts it imports. */
    public record EgressListener(OptionalInt port, List<ImportedHost> hosts) {
        public EgressListener {
            hosts = List.copyOf(hosts);
        }
    }

    public static boolean isSidecar(KubeObject object) {
        return KIND.equals(object.kind()) && "networking.istio.io".equals(object.group());
    }

    public static SidecarResource read(KubeObject object) {
        JsonNode spec = object.json().path("spec");
        List<EgressListener> egress = new ArrayList<>();
        for (JsonNode listener : spec.path("egress")) {
            JsonNode number = listener.path("port").path("number");
            OptionalInt port = number.canConvertToInt() && number.asInt() > 0 ? OptionalInt.of(number.asInt()) : OptionalInt.empty();
            List<ImportedHost> hosts = new ArrayList<>();
            listener.path("hosts").forEach(host -> {
                if (host.isTextual()) {
                    hosts.add(ImportedHost.parse(host.asText()));
                }
            });
            egress.add(new EgressListener(port, hosts));
        }
        return new SidecarResource(object.ref(), object.json().path("metadata").path("creationTimestamp").asText(""),
                PodMeta.strings(spec.path("workloadSelector").path("labels")), egress,
                OutboundPolicy.parse(spec.path("outboundTrafficPolicy").path("mode").asText(null)));
    }

    public boolean hasSelector() {
        return !selector.isEmpty();
    }

    /** True when every selector label is on the pod. */
    public boolean selects(PodMeta pod) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(pod.labels().get(e.getKey())));
    }

    /** True when an egress listener for {@code port} imports {@code host} of {@code serviceNamespace} for a pod of {@code podNamespace}. */
    public boolean imports(String serviceNamespace, List<String> hosts, int port, String podNamespace) {
        if (egress.isEmpty()) {
            return true;
        }
        for (EgressListener listener : egress) {
            if (listener.port().isPresent() && listener.port().getAsInt() != port) {
                continue;
            }
            for (ImportedHost imported : listener.hosts()) {
                for (String host : hosts) {
                    if (imported.imports(serviceNamespace, host, podNamespace)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** {@code ./*, istio-system/*}: the imports as the resource writes them, for messages. */
    public String importsText() {
        List<String> items = new ArrayList<>();
        for (EgressListener listener : egress) {
            String suffix = listener.port().isPresent() ? " (port " + listener.port().getAsInt() + ")" : "";
            listener.hosts().forEach(h -> items.add(h.text() + suffix));
        }
        return String.join(", ", items);
    }
}
