package io.proxyguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real {@code helm} and {@code kubectl} that {@code .ci/install-deps} puts into {@code tools/bin/}. A missing binary
 * fails the test with the command that installs it: a chart that was not rendered is a chart that was not tested.
 */
final class InstalledTools {

    static final Path BIN = Path.of("tools", "bin");

    private InstalledTools() {
    }

    static String helm() {
        return installed("helm");
    }

    static String kubectl() {
        return installed("kubectl");
    }

    private static String installed(String name) {
        Path binary = BIN.resolve(name);
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(name + " is not installed at " + binary.toAbsolutePath()
                    + ": run .ci/install-deps in the repository first (these tests run the real binary)");
        }
        return binary.toString();
    }
}
