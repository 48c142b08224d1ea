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
import java.util.stream.Collectors;

/**
 * A {@code networking.istio.io} Sidecar resource, reduced to what decides visibility: its workload selector,
 * its egress listeners and its outbound traffic policy. Read from the raw JSON; a field of the wrong type is
 * taken as absent (the API server's schema rejects such objects anyway).
 *
 * @param creationTimestamp RFC 3339 text, "" when absent (offline input): the oldest Sidecar wins
 * @param selector          {@code workloadSelector.labels}, empty when absent; see {@code hasSelector}
 * @param hasSelector       true when {@code workloadSelector} is set, even without labels: istiod then puts the
 *                          Sidecar with the selecting ones (it selects every pod) and never takes it as a default
 * @param egress            the egress listeners; a Sidecar without {@code egress} has one that imports {@code * /*}
 * @param outboundPolicy    {@code outboundTrafficPolicy.mode}; a policy without a mode is REGISTRY_ONLY, the enum's
 *                          zero value (istiod takes the Sidecar's policy whenever it is set)
 */
public record SidecarResource(ResourceRef ref, String creationTimestamp, Map<String, String> selector, boolean hasSelector,
                              List<EgressListener> egress, Optional<OutboundPolicy> outboundPolicy) {

    public static final String KIND = "Sidecar";

    /** Oldest first, then by name and namespace: istiod's {@code configCompareByCreationTime} (pilot/pkg/model/config.go). */
    public static final Comparator<SidecarResource> OLDEST_FIRST = Comparator.comparing(SidecarResource::creationTimestamp)
            .thenComparing(s -> s.ref().name()).thenComparing(s -> s.ref().namespace());

    public SidecarResource {
        selector = Map.copyOf(selector);
        egress = egress.isEmpty() ? List.of(EgressListener.EVERYTHING) : List.copyOf(egress);
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
            List<String> hosts = new ArrayList<>();
            listener.path("hosts").forEach(host -> {
                if (host.isTextual()) {
                    hosts.add(host.asText());
                }
            });
            egress.add(new EgressListener(port, listener.path("port").path("protocol").asText(""), hosts));
        }
        JsonNode policy = spec.path("outboundTrafficPolicy");
        Optional<OutboundPolicy> outbound = policy.isObject()
                ? Optional.of(OutboundPolicy.parse(policy.path("mode").asText("")).orElse(OutboundPolicy.REGISTRY_ONLY))
                : Optional.empty();
        JsonNode workloadSelector = spec.path("workloadSelector");
        return new SidecarResource(object.ref(), object.json().path("metadata").path("creationTimestamp").asText(""),
                PodMeta.strings(workloadSelector.path("labels")), workloadSelector.isObject(), egress, outbound);
    }

    /** True when every selector label is on the pod (an empty selector selects every pod). */
    public boolean selects(PodMeta pod) {
        for (Map.Entry<String, String> label : selector.entrySet()) {
            if (!label.getValue().equals(pod.labels().get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** {@code ./*, istio-system/*}: the imports as the resource writes them, for messages. */
    public String importsText() {
        if (egress.size() == 1) {
            return egress.get(0).text();
        }
        return egress.stream().map(EgressListener::text).filter(t -> !t.isEmpty()).collect(Collectors.joining(", "));
    }
}
