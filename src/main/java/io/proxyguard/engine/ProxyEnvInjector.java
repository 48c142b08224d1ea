package io.proxyguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxyguard.config.HostPattern;
import io.proxyguard.config.ProxyGuardConfig;
import io.proxyguard.engine.model.KubeObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The optional proxy environment injection: gives each container of a Pod {@code HTTPS_PROXY},
 * {@code HTTP_PROXY} (both {@code http://IP:PORT} of the first configured proxy) and {@code NO_PROXY} (the
 * configuration's noProxy list), never overriding what the workload set itself: a variable already in
 * {@code env}, in either case, is left alone, and a container with {@code envFrom} is left alone entirely
 * (its ConfigMap or Secret may set them, and an added env entry would win over it).
 */
public final class ProxyEnvInjector {

    /** What the injection changed: an RFC 6902 patch (add only) and one line per variable added. */
    public record Injection(ArrayNode patch, List<String> changes) {
        public boolean isPatched() {
            return !patch.isEmpty();
        }
    }

    private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers");

    /** {@code http://IP:PORT} of the first configured proxy; empty when none is configured. */
    private final Optional<String> proxyUrl;
    private final String noProxy;

    /** Works out the values to inject once, for every Pod judged under {@code config}. */
    public ProxyEnvInjector(ProxyGuardConfig config) {
        this.proxyUrl = config.proxies().stream().findFirst().map(proxy ->
                "http://" + (proxy.block().isIpv6() ? "[" + proxy.address() + "]" : proxy.address()) + ":" + proxy.port());
        this.noProxy = config.noProxy().stream().map(HostPattern::text).collect(Collectors.joining(","));
    }

    public static boolean appliesTo(KubeObject object) {
        return "Pod".equals(object.kind()) && object.group().isEmpty();
    }

    public Injection inject(KubeObject pod) {
        if (!appliesTo(pod) || proxyUrl.isEmpty()) {
            return new Injection(FixApplier.noPatch(), List.of());
        }
        String url = proxyUrl.get();
        List<Fix> fixes = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (String list : CONTAINER_LISTS) {
            JsonNode containers = pod.json().path("spec").path(list);
            for (int i = 0; i < containers.size(); i++) {
                addMissing(containers.get(i), FieldPath.of("spec", list, i), url, noProxy, fixes, changes);
            }
        }
        if (fixes.isEmpty()) {
            return new Injection(FixApplier.noPatch(), List.of());
        }
        ObjectNode injected = FixApplier.apply(pod.json(), fixes);
        return new Injection(FixApplier.diff(pod.json(), injected), changes);
    }

    private static void addMissing(JsonNode container, FieldPath path, String url, String noProxy, List<Fix> fixes, List<String> changes) {
        if (container.has("envFrom")) {
            return;
        }
        JsonNode env = container.path("env");
        List<JsonNode> added = new ArrayList<>();
        for (String[] variable : new String[][] {{"HTTPS_PROXY", url}, {"HTTP_PROXY", url}, {"NO_PROXY", noProxy}}) {
            if (variable[1].isEmpty() || isSet(env, variable[0])) {
                continue;
            }
            added.add(JsonNodeFactory.instance.objectNode().put("name", variable[0]).put("value", variable[1]));
            changes.add("container " + container.path("name").asText("") + ": " + variable[0] + "=" + variable[1]);
        }
        if (added.isEmpty()) {
            return;
        }
        if (!env.isArray()) {
            ArrayNode all = JsonNodeFactory.instance.arrayNode().addAll(added);
            fixes.add(new Fix(path.child("env").pointer(), all, "env added"));
            return;
        }
        for (int k = 0; k < added.size(); k++) {
            fixes.add(new Fix(path.child("env").child(env.size() + k).pointer(), added.get(k), "env added"));
        }
    }

    private static boolean isSet(JsonNode env, String name) {
        for (JsonNode item : env) {
            String existing = item.path("name").asText("");
            if (existing.equals(name) || existing.equals(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
