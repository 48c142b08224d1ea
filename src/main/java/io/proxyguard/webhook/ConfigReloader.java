package io.proxyguard.webhook;

import io.proxyguard.config.ConfigException;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.engine.PolicyEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

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

    public ConfigReloader(Path file, AtomicReference<PolicyEngine> engine, WebhookMetrics metrics) {
        this.file = file;
        this.engine = engine;
        this.metrics = metrics;
    }

    /** Loads the file and puts it in force; returns whether it did. */
    public boolean reload() {
        try {
            engine.set(new PolicyEngine(ConfigLoader.load(file)));
        } catch (ConfigException e) {
            LOG.error("configuration change refused, the previous configuration stays in force: {}", e.getMessage());
            metrics.configReload(false);
            return false;
        }
        metrics.configReload(true);
        LOG.info("configuration reloaded from {}", file);
        return true;
    }
}
