package io.proxyguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.mesh.MeshSettings;
import io.proxyguard.engine.model.IpBlock;
import io.proxyguard.engine.rules.RuleCatalog;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.SafeYaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and checks a configuration file. Every problem is found in one pass and reported together,
 * each naming its key ({@code proxies[0].port: 70000 is out of range 1..65535}).
 */
public final class ConfigLoader {

    private static final Set<String> TOP_KEYS = Set.of("proxies", "proxyPorts", "proxiedHosts", "noProxy", "webPorts",
            "clusterRanges", "rules", "mesh");
    private static final Set<String> WEB_PORT_KEYS = Set.of("https", "http");
    private static final Set<String> MESH_KEYS = Set.of("outboundTrafficPolicy", "rootNamespace", "defaultServiceExportTo",
            "istioNamespace", "enableNamespacesByDefault", "unknownNamespacesInjected");
    private static final Set<String> PROXY_KEYS = Set.of("name", "address", "port", "hosts");

    private final List<String> problems = new ArrayList<>();

    private ConfigLoader() {
    }

    public static ProxyGuardConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static ProxyGuardConfig parse(String yaml, String source) throws ConfigException {
        JsonNode root;
        try {
            root = SafeYaml.readOne(yaml, source);
        } catch (ManifestException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        ConfigLoader loader = new ConfigLoader();
        ProxyGuardConfig config = loader.read(root);
        if (!loader.problems.isEmpty()) {
            throw new ConfigException("invalid configuration " + source + ":\n  " + String.join("\n  ", loader.problems));
        }
        return config;
    }

    private ProxyGuardConfig read(JsonNode root) {
        ProxyGuardConfig defaults = ProxyGuardConfig.defaults();
        if (!root.isObject()) {
            problems.add("the configuration must be a mapping with keys " + TOP_KEYS);
            return defaults;
        }
        checkKeys(root, "", TOP_KEYS);
        List<ProxyDefinition> proxies = readProxies(root.path("proxies"));
        Set<Integer> proxyPorts = root.has("proxyPorts")
                ? new LinkedHashSet<>(readList(root.get("proxyPorts"), "proxyPorts", this::port))
                : defaults.proxyPorts();
        List<HostPattern> proxied = root.has("proxiedHosts")
                ? readList(root.get("proxiedHosts"), "proxiedHosts", (n, p) -> host(n, p, HostPattern::proxied))
                : defaults.proxiedHosts();
        List<HostPattern> noProxy = root.has("noProxy")
                ? readList(root.get("noProxy"), "noProxy", (n, p) -> host(n, p, HostPattern::noProxy))
                : defaults.noProxy();
        List<IpBlock> clusterRanges = root.has("clusterRanges")
                ? readList(root.get("clusterRanges"), "clusterRanges", this::range)
                : defaults.clusterRanges();
        return new ProxyGuardConfig(proxies, proxyPorts, proxied, noProxy, readWebPorts(root.path("webPorts"), defaults.webPorts()),
                clusterRanges, readRules(root.path("rules")), readMesh(root.path("mesh")));
    }

    /** {@code webPorts: {https: [443, 8443], http: [80, 8080]}}; a key left out keeps its default, no port in both. */
    private WebPorts readWebPorts(JsonNode node, WebPorts defaults) {
        if (node.isMissingNode() || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            problems.add("webPorts: must be a mapping with keys " + WEB_PORT_KEYS + ", each a list of ports");
            return defaults;
        }
        checkKeys(node, "webPorts.", WEB_PORT_KEYS);
        Set<Integer> https = node.has("https") ? new LinkedHashSet<>(readList(node.get("https"), "webPorts.https", this::port)) : defaults.https();
        Set<Integer> http = node.has("http") ? new LinkedHashSet<>(readList(node.get("http"), "webPorts.http", this::port)) : defaults.http();
        https.stream().filter(http::contains).sorted()
                .forEach(port -> problems.add("webPorts: port " + port + " is in both https and http; a port has one scheme"));
        return new WebPorts(https, http);
    }

    private IpBlock range(JsonNode node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        Optional<IpBlock> block = IpBlock.parse(text);
        if (block.isEmpty()) {
            problems.add(path + ": '" + text + "' is not an IP address or CIDR such as 10.96.0.0/12");
        }
        return block.orElse(null);
    }

    /**
     * The {@code mesh:} section: the same keys as Istio's meshConfig for what it shares with it
     * ({@code outboundTrafficPolicy.mode}, {@code rootNamespace}, {@code defaultServiceExportTo}), and ProxyGuard's
     * own for the rest. A mesh ConfigMap in the input or the cluster overrides the meshConfig keys.
     */
    private MeshSettings readMesh(JsonNode node) {
        MeshSettings defaults = MeshSettings.DEFAULTS;
        if (node.isMissingNode() || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            problems.add("mesh: must be a mapping with keys " + MESH_KEYS);
            return defaults;
        }
        checkKeys(node, "mesh.", MESH_KEYS);
        JsonNode policy = node.path("outboundTrafficPolicy");
        if (!policy.isMissingNode() && !(policy.isObject() && policy.path("mode").isTextual())) {
            problems.add("mesh.outboundTrafficPolicy: must be a mapping {mode: ALLOW_ANY | REGISTRY_ONLY}");
        }
        List<String> meshProblems = new ArrayList<>();
        MeshSettings settings = defaults.overlaidWith(node, meshProblems);
        meshProblems.forEach(p -> problems.add("mesh." + p));
        JsonNode exportTo = node.path("defaultServiceExportTo");
        if (!exportTo.isMissingNode() && !(exportTo.isArray() && !exportTo.isEmpty())) {
            problems.add("mesh.defaultServiceExportTo: must be a non-empty list such as [\"*\"] or [\".\"]");
        }
        String istioNamespace = node.has("istioNamespace") ? text(node.get("istioNamespace"), "mesh.istioNamespace") : null;
        if (node.has("rootNamespace")) {
            text(node.get("rootNamespace"), "mesh.rootNamespace");
        }
        return new MeshSettings(settings.outboundPolicy(), settings.rootNamespace(), settings.defaultServiceExportTo(),
                istioNamespace == null ? defaults.istioNamespace() : istioNamespace,
                bool(node, "enableNamespacesByDefault", defaults.enableNamespacesByDefault()),
                bool(node, "unknownNamespacesInjected", defaults.unknownNamespacesInjected()));
    }

    private boolean bool(JsonNode parent, String key, boolean fallback) {
        if (!parent.has(key)) {
            return fallback;
        }
        if (!parent.get(key).isBoolean()) {
            problems.add("mesh." + key + ": '" + parent.get(key).asText() + "' is not true or false");
            return fallback;
        }
        return parent.get(key).asBoolean();
    }

    private List<ProxyDefinition> readProxies(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        return readList(node, "proxies", (proxy, path) -> {
            if (!proxy.isObject()) {
                problems.add(path + ": must be a mapping with keys " + PROXY_KEYS);
                return null;
            }
            checkKeys(proxy, path + ".", PROXY_KEYS);
            String name = proxy.path("name").asText("");
            if (name.isBlank()) {
                problems.add(path + ".name: required");
            }
            String address = proxy.path("address").asText("");
            boolean validAddress = IpBlock.parse(address).filter(b -> !b.explicitPrefix()).isPresent();
            if (!validAddress) {
                problems.add(path + ".address: '" + address + "' is not an IPv4 or IPv6 address"
                        + " (a ServiceEntry for a proxy needs its IP, not a host name)");
            }
            Integer port = proxy.has("port") ? port(proxy.get("port"), path + ".port") : null;
            if (!proxy.has("port")) {
                problems.add(path + ".port: required");
            }
            List<String> hosts = proxy.has("hosts")
                    ? readList(proxy.get("hosts"), path + ".hosts", this::text)
                    : List.of();
            return port == null || !validAddress ? null : new ProxyDefinition(name, address, port, hosts);
        });
    }

    private Map<String, Severity> readRules(JsonNode node) {
        Map<String, Severity> rules = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return rules;
        }
        if (!node.isObject()) {
            problems.add("rules: must be a mapping of rule ID to deny, warn or off");
            return rules;
        }
        Set<String> known = RuleCatalog.standard().ids();
        node.fields().forEachRemaining(entry -> {
            String id = entry.getKey();
            if (!known.contains(id)) {
                problems.add("rules." + id + ": unknown rule ID; known rules are " + known);
                return;
            }
            if (entry.getValue().isBoolean() && !entry.getValue().asBoolean()) {
                rules.put(id, Severity.OFF); // YAML 1.1 reads a bare off as false
                return;
            }
            try {
                rules.put(id, Severity.parse(entry.getValue().asText()));
            } catch (IllegalArgumentException e) {
                problems.add("rules." + id + ": " + e.getMessage());
            }
        });
        return rules;
    }

    private void checkKeys(JsonNode object, String prefix, Set<String> allowed) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.add(prefix + name + ": unknown key; allowed keys are " + allowed);
            }
        }
    }

    private <T> List<T> readList(JsonNode node, String path, ItemReader<T> reader) {
        List<T> items = new ArrayList<>();
        if (!node.isArray()) {
            problems.add(path + ": must be a list");
            return items;
        }
        for (int i = 0; i < node.size(); i++) {
            T item = reader.read(node.get(i), path + "[" + i + "]");
            if (item != null) {
                items.add(item);
            }
        }
        return items;
    }

    private Integer port(JsonNode node, String path) {
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            problems.add(path + ": '" + node.asText() + "' is not a port number");
            return null;
        }
        int port = node.asInt();
        if (port < 1 || port > 65535) {
            problems.add(path + ": " + port + " is out of range 1..65535");
            return null;
        }
        return port;
    }

    private String text(JsonNode node, String path) {
        if (!node.isTextual() || node.asText().isBlank()) {
            problems.add(path + ": must be a non-empty string");
            return null;
        }
        return node.asText();
    }

    private HostPattern host(JsonNode node, String path, Function<String, HostPattern> kind) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        if (!text.matches("\\*|(\\*\\.|\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\\.?")) {
            problems.add(path + ": '" + text + "' is not a host name, '*', '*.domain' or '.domain'");
            return null;
        }
        return kind.apply(text);
    }

    @FunctionalInterface
    private interface ItemReader<T> {
        T read(JsonNode node, String path);
    }
}
