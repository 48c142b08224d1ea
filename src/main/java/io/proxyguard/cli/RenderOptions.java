package io.proxyguard.cli;

import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.render.ExternalTool;
import io.proxyguard.render.HelmRenderer;
import io.proxyguard.render.HelmSettings;
import io.proxyguard.render.KustomizeRenderer;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How {@code validate} renders Helm charts and kustomizations: the tools, the chart values, the time limit. */
final class RenderOptions {

    @Option(names = "--helm-values", paramLabel = "FILE",
            description = "A values file for every Helm chart (helm template --values). Repeatable; later files win.")
    private List<Path> helmValues = new ArrayList<>();

    @Option(names = "--helm-release", paramLabel = "NAME", defaultValue = "release-name",
            description = "Release name charts are rendered with (default: ${DEFAULT-VALUE}, as helm template).")
    private String release;

    @Option(names = "--helm-namespace", paramLabel = "NS", defaultValue = "default",
            description = "Namespace charts are rendered into (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Option(names = "--helm", paramLabel = "PATH",
            description = "The helm binary (default: helm on PATH; without one, charts are skipped with a note).")
    private Path helm;

    @Option(names = "--kubectl", paramLabel = "PATH",
            description = "The kubectl binary for kustomizations (default: kubectl on PATH; without one, they are skipped with a note).")
    private Path kubectl;

    @Option(names = "--render-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = ProbeCommand.DurationConverter.class,
            description = "Time limit for rendering one chart or kustomization (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    /** The renderers; a configured tool or values file that does not exist is refused. */
    ManifestReader.Renderers renderers() {
        for (Path values : helmValues) {
            if (!Files.isRegularFile(values)) {
                throw new IllegalArgumentException("--helm-values " + values + ": no such file");
            }
        }
        String path = System.getenv("PATH");
        Optional<ExternalTool> helmTool = ExternalTool.find("helm", Optional.ofNullable(helm), path);
        Optional<ExternalTool> kubectlTool = ExternalTool.find("kubectl", Optional.ofNullable(kubectl), path);
        List<Path> values = helmValues.stream().map(v -> v.toAbsolutePath().normalize()).toList();
        return new ManifestReader.Renderers(
                new HelmRenderer(helmTool, new HelmSettings(release, namespace, values, timeout)),
                new KustomizeRenderer(kubectlTool, timeout));
    }
}
