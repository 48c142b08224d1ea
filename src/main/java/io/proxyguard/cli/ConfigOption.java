package io.proxyguard.cli;

import io.proxyguard.config.ConfigException;
import io.proxyguard.config.ConfigLoader;
import io.proxyguard.config.ProxyGuardConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE}, shared by every command that runs the engine. */
public final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE", description = "ProxyGuard configuration (YAML). Defaults apply when absent.")
    Path file;

    public ProxyGuardConfig load() throws ConfigException {
        return file == null ? ProxyGuardConfig.defaults() : ConfigLoader.load(file);
    }

    public Path file() {
        return file;
    }
}
