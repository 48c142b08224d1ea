package io.proxyguard.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntry;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryLocation;
import io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryResolution;
import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.engine.ResourceRef;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A ServiceEntry of any {@code networking.istio.io} version (v1alpha3, v1beta1 and v1 share one spec),
 * read into fabric8's Istio model, with Istio's defaults applied where a field is unset. The lists the rules
 * ask for again and again (hosts, addresses, ports, port numbers, parsed addresses) are built once, on read.
 *
 * @param hosts       {@code spec.hosts} without nulls
 * @param addresses   {@code spec.addresses} without nulls
 * @param ports       {@code spec.ports} without nulls
 * @param portNumbers port numbers, skipping unset ones
 * @param ipBlocks    addresses that parse as IPs or CIDRs, with their index in {@code spec.addresses}
 */
public record ServiceEntryFacts(KubeObject object, ServiceEntry spec, List<String> hosts, List<String> addresses,
                                List<ServicePort> ports, List<Integer> portNumbers, List<IndexedBlock> ipBlocks) {

    public static final String GROUP = "networking.istio.io";
    public static final String KIND = "ServiceEntry";

    /** fabric8's mapper setup (its constructor registers its modules on the mapper it is given). */
    private static final ObjectMapper MAPPER = fabric8Mapper();

    public static boolean isServiceEntry(KubeObject object) {
        return KIND.equals(object.kind()) && GROUP.equals(object.group());
    }

    /** Reads the spec; fails with a message naming the object when a field has the wrong type. */
    public static ServiceEntryFacts read(KubeObject object) throws InvalidObjectException {
        JsonNode spec = object.json().path("spec");
        if (!spec.isObject()) {
            return of(object, new ServiceEntry());
        }
        for (String list : List.of("hosts", "addresses", "ports")) {
            JsonNode items = spec.path(list);
            for (int i = 0; items.isArray() && i < items.size(); i++) {
                if (items.get(i).isNull()) {
                    // the CRD's schema rejects it too; kept out, it would shift every later index a rule reports or fixes
                    throw new InvalidObjectException(object.ref(), "spec." + list + "[" + i + "] is null");
                }
            }
        }
        try {
            // treeToValue reads the tree directly; convertValue would first copy it into a token buffer
            ServiceEntry model = MAPPER.treeToValue(spec, ServiceEntry.class);
            return of(object, model);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw InvalidObjectException.fromMapping(object.ref(), "spec", e);
        }
    }

    private static ServiceEntryFacts of(KubeObject object, ServiceEntry spec) {
        List<ServicePort> ports = withoutNulls(spec.getPorts());
        return new ServiceEntryFacts(object, spec, withoutNulls(spec.getHosts()), withoutNulls(spec.getAddresses()), ports,
                ports.stream().map(ServicePort::getNumber).filter(Objects::nonNull).map(Long::intValue).toList(),
                blocks(spec.getAddresses()));
    }

    private static ObjectMapper fabric8Mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new KubernetesSerialization(mapper, false);
        return mapper;
    }

    public ResourceRef ref() {
        return object.ref();
    }

    /** The resolution, NONE when unset (Istio's default). */
    public ServiceEntryResolution resolution() {
        return Optional.ofNullable(spec.getResolution()).orElse(ServiceEntryResolution.NONE);
    }

    /** The location, MESH_EXTERNAL when unset (Istio's default). */
    public ServiceEntryLocation location() {
        return Optional.ofNullable(spec.getLocation()).orElse(ServiceEntryLocation.MESH_EXTERNAL);
    }

    /** Addresses that parse as IPs or CIDRs, with their index in {@code spec.addresses} (parsed once). */
    private static List<IndexedBlock> blocks(List<String> addresses) {
        if (addresses == null) {
            return List.of();
        }
        return java.util.stream.IntStream.range(0, addresses.size())
                .mapToObj(i -> IpBlock.parse(addresses.get(i)).map(b -> new IndexedBlock(i, b)))
                .flatMap(Optional::stream)
                .toList();
    }

    /** An address of the entry and its position. */
    public record IndexedBlock(int index, IpBlock block) {
    }

    private static <T> List<T> withoutNulls(List<T> list) {
        return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
    }
}
