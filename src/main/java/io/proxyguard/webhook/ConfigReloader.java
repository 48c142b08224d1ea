package io.proxyguard.webhook;

import io.proxyguard.config.ConfigException;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.engine.PolicyEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Re-reads the configuration file and swaps the engine in one atomic step, so every review sees either
 * the old rules or the new ones, never a mix. A file that does not load is refused with a logged error
 * naming the problem, and the configuration in force stays.
 */
public final class ConfigReloader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final AtomicReference<PolicyEngine> engine;
    private final WebhookMetrics metrics;
    private final List<Consumer<PolicyEngine>> listeners;

    public ConfigReloader(Path file, AtomicReference<PolicyEngine> engine, WebhookMetrics metrics, List<Consumer<PolicyEngine>> listeners) {
        this.file = file;
        this.engine = engine;
        this.metrics = metrics;
        this.listeners = List.copyOf(listeners);
    }

    /** Loads the file and puts it in force; returns whether it did. */
    public boolean reload() {
        PolicyEngine loaded;
        try {
            loaded = new PolicyEngine(ConfigLoader.load(file));
            engine.set(loaded);
        } catch (ConfigException e) {
            LOG.error("configuration change refused, the previous configuration stays in force: {}", e.getMessage());
            metrics.configReload(false);
            return false;
        }
        listeners.forEach(listener -> listener.accept(loaded));
        metrics.configReload(true);
        LOG.info("configuration reloaded from {}", file);
        return true;
    }
}
