package io.proxyguard.engine.proxy;

import io.proxyguard.config.ProxyDefinition;

import java.util.Optional;

/**
 * Why a ServiceEntry counts as a proxy entry ({@code reason}, for messages), and which configured proxy it
 * describes when that is known (needed to fix a missing address).
 */
public record ProxyMatch(String reason, Optional<ProxyDefinition> proxy) {
}
