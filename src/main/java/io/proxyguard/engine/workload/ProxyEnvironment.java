package io.proxyguard.engine.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One container's proxy variables as HTTP clients read them, by name ({@code HTTPS_PROXY}, {@code https_proxy},
 * {@code NO_PROXY}, ...), each with its value, or empty when the value is unknown (a Secret, a ConfigMap not in
 * view). Values only, no field paths: containers with the same settings are equal, so workloads can be grouped
 * by them.
 */
public record ProxyEnvironment(Map<String, Optional<String>> variables, Optional<Setting> noProxy) {

    /** A variable that is set: its name and its value, empty when unknown. */
    public record Setting(String name, Optional<String> value) {
    }

    public ProxyEnvironment {
        variables = Map.copyOf(variables);
    }

    public static ProxyEnvironment of(ContainerEnv container) {
        Map<String, Optional<String>> variables = new LinkedHashMap<>();
        container.proxies().forEach(v -> variables.put(v.name(), Optional.ofNullable(v.value())));
        return new ProxyEnvironment(variables, container.noProxy().map(v -> new Setting(v.name(), Optional.ofNullable(v.value()))));
    }

    /** The variable an {@code scheme} request takes its proxy from: the first of the scheme's names set and not empty. */
    public Optional<Setting> proxyFor(WebScheme scheme) {
        for (String name : scheme.variables()) {
            Optional<String> value = variables.get(name);
            if (value != null && !value.map(String::isEmpty).orElse(false)) {
                return Optional.of(new Setting(name, value));
            }
        }
        return Optional.empty();
    }

    /** Where a request for {@code host} (a ServiceEntry host, maybe {@code *.domain}) on {@code port} goes. */
    public Route route(String host, int port, WebScheme scheme) {
        Optional<Setting> proxy = proxyFor(scheme);
        if (proxy.isEmpty()) {
            return Route.direct("it sets none of " + String.join(", ", scheme.variables()));
        }
        if (proxy.get().value().isEmpty()) {
            return Route.unknown("the value of " + proxy.get().name() + " is not in view");
        }
        if (noProxy.isPresent()) {
            Optional<String> value = noProxy.get().value();
            if (value.isEmpty()) {
                return Route.unknown("the value of " + noProxy.get().name() + " is not in view");
            }
            NoProxyList list = NoProxyList.parse(value.get());
            if (list.bypassesSomeOf(host)) {
                return Route.direct(noProxy.get().name() + " covers " + host);
            }
            Optional<String> disputed = list.entryCurlIgnoresFor(host, port);
            if (disputed.isPresent()) {
                return Route.unknown(noProxy.get().name() + " entry " + disputed.get() + " is ignored by curl but not by other clients");
            }
        }
        return ProxyUrl.parse(proxy.get().value().get())
                .map(url -> Route.proxied(url, proxy.get().name() + " is " + url.redacted()))
                .orElseGet(() -> Route.unknown(proxy.get().name() + " is not a proxy URL"));
    }
}
