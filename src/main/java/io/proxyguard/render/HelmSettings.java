package io.proxyguard.render;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How charts are rendered: {@code helm template RELEASE CHART --namespace NAMESPACE -f VALUES...}, within {@code timeout}. */
public record HelmSettings(String release, String namespace, List<Path> valuesFiles, Duration timeout) {

    public HelmSettings {
        valuesFiles = List.copyOf(valuesFiles);
    }
}
