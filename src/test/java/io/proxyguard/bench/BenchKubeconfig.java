package io.proxyguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kubeconfig a bench's fake API server hands to `serve` or `audit`, written whole or not at all (a script waits for the file). */
final class BenchKubeconfig {

    private BenchKubeconfig() {
    }

    static void write(Path kubeconfig, String serverUrl, String namespace) throws IOException {
        Path partial = kubeconfig.resolveSibling(kubeconfig.getFileName() + ".partial");
        Files.writeString(partial, """
                apiVersion: v1
                kind: Config
                clusters: [{name: bench, cluster: {server: "%s"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: c, context: {cluster: bench, user: u, namespace: %s}}]
                current-context: c
                """.formatted(serverUrl, namespace));
        Files.move(partial, kubeconfig);
    }
}
