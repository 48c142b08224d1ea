package io.proxyguard.cli;

import io.proxyguard.Version;
import picocli.CommandLine;

/** {@code proxyguard --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"proxyguard " + Version.current()};
    }
}
