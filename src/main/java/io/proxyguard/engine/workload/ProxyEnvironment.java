package io.proxyguard.engine.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One container's proxy settings as HTTP clients read them, worked out once: for each scheme, the variable a request
 * takes its proxy from (curl's order, see {@link WebScheme}) with its value parsed, and the NO_PROXY list. A value is
 * empty when it is not known (a Secret, a ConfigMap not in view). Values only, no field paths: containers with the
 * same settings are equal, so workloads can be grouped by them.
 */
public record ProxyEnvironment(Optional<Setting> https, Optional<Setting> http, Optional<NoProxySetting> noProxy) {

    /** A variable that is set: its name, its value (empty when unknown) and, when that is a proxy URL, the URL. */
    public record Setting(String name, Optional<String> value, Optional<ProxyUrl> url) {

        static Setting of(ProxyVariable variable) {
            return new Setting(variable.name(), Optional.ofNullable(variable.value()), variable.url());
        }
    }

    /** The NO_PROXY variable curl reads, and its list (empty when the value is unknown). */
    public record NoProxySetting(String name, Optional<NoProxyList> list) {

        static NoProxySetting of(ProxyVariable variable) {
            return new NoProxySetting(variable.name(), Optional.ofNullable(variable.value()).map(NoProxyList::parse));
        }
    }

    public static ProxyEnvironment of(ContainerEnv container) {
        Map<String, ProxyVariable> byName = new HashMap<>();
        container.proxies().forEach(v -> byName.put(v.name(), v));
        return new ProxyEnvironment(chosen(byName, WebScheme.HTTPS), chosen(byName, WebScheme.HTTP), container.noProxy().map(NoProxySetting::of));
    }

    /** The first of the scheme's variables that is set and not empty (an unknown value counts as set). */
    private static Optional<Setting> chosen(Map<String, ProxyVariable> byName, WebScheme scheme) {
        for (String name : scheme.variables()) {
            ProxyVariable variable = byName.get(name);
            if (variable != null && !(variable.known() && variable.value().isEmpty())) {
                return Optional.of(Setting.of(variable));
            }
        }
        return Optional.empty();
    }

    /** The variable an {@code scheme} request takes its proxy from. */
    public Optional<Setting> proxyFor(WebScheme scheme) {
        return scheme == WebScheme.HTTPS ? https : http;
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
            if (noProxy.get().list().isEmpty()) {
                return Route.unknown("the value of " + noProxy.get().name() + " is not in view");
            }
            NoProxyList list = noProxy.get().list().get();
            if (list.bypassesSomeOf(host)) {
                return Route.direct(noProxy.get().name() + " covers " + host);
            }
            Optional<String> disputed = list.entryCurlIgnoresFor(host, port);
            if (disputed.isPresent()) {
                return Route.unknown(noProxy.get().name() + " entry " + disputed.get() + " is ignored by curl but not by other clients");
            }
        }
        return proxy.get().url()
                .map(url -> Route.proxied(url, proxy.get().name() + " is " + url.redacted()))
                .orElseGet(() -> Route.unknown(proxy.get().name() + " is not a proxy URL"));
    }
}
