package io.proxyguard.render;

import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.SafeYaml;
import io.proxyguard.manifest.Utf8Text;
import io.proxyguard.report.InputError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A Helm chart, rendered with {@code helm template RELEASE CHART --namespace NS [-f VALUES]...}: each object is
 * reported at the template Helm names in its {@code # Source:} comment, and a failed render at the template its
 * error names (with line and column), else at {@code Chart.yaml}.
 */
public final class HelmRenderer extends ToolRenderer {

    private final HelmSettings settings;

    public HelmRenderer(Optional<ExternalTool> helm, HelmSettings settings) {
        super(helm, "helm", settings.timeout());
        this.settings = settings;
    }

    @Override
    String what() {
        return "a Helm chart";
    }

    @Override
    List<String> arguments(Path chart) {
        List<String> args = new ArrayList<>(List.of("template", settings.release(), chart.toString(),
                "--namespace", settings.namespace()));
        for (Path values : settings.valuesFiles()) {
            args.add("--values");
            args.add(values.toString());
        }
        return args;
    }

    @Override
    IntFunction<String> sources(Path chartFile, String output) {
        HelmSources sources = HelmSources.of(directory(chartFile), output);
        return line -> sources.fileOf(line).orElse(chartFile.toString());
    }

    @Override
    InputError failure(Path chartFile, String message) {
        return HelmSources.locate(directory(chartFile), chartName(chartFile), message)
                .map(at -> new InputError(at.file(), at.line(), at.column(), message))
                .orElseGet(() -> super.failure(chartFile, message));
    }

    /** The chart's name from its Chart.yaml (Helm's messages start template paths with it), else the directory's. */
    private static String chartName(Path chartFile) {
        try {
            String name = SafeYaml.readOne(Utf8Text.read(chartFile, chartFile.toString()), chartFile.toString()).path("name").asText("");
            if (!name.isEmpty()) {
                return name;
            }
        } catch (ManifestException e) {
            // helm's own message already says what is wrong with Chart.yaml
        }
        Path dir = directory(chartFile).toAbsolutePath().normalize().getFileName();
        return dir == null ? "" : dir.toString();
    }
}
