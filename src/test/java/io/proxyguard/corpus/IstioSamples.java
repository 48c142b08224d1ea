package io.proxyguard.corpus;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where the tests find Istio's own {@code samples/} directory (Apache-2.0, its LICENSE beside it): fetched material
 * that stays out of git, read from {@code -D}{@value #PROPERTY}{@code =DIR} (default {@value #DEFAULT_LOCATION},
 * next to the project). Tests over it are skipped, saying how to run them, when it is not there.
 */
public final class IstioSamples {

    public static final String PROPERTY = "proxyguard.corpus.istioSamples";
    public static final String DEFAULT_LOCATION = "../shared/corpus/istio-samples";

    private IstioSamples() {
    }

    /** The corpus directory, absolute: the property's, else the default one from the project's base directory. */
    public static Path location() {
        String configured = System.getProperty(PROPERTY);
        return (configured != null ? Path.of(configured) : Path.of(System.getProperty("basedir", ".")).resolve(DEFAULT_LOCATION))
                .toAbsolutePath().normalize();
    }

    /** Skips the calling test unless {@code samples/} and Istio's {@code LICENSE} are at {@link #location()}. */
    public static Path assumePresent() {
        Path corpus = location();
        assumeTrue(Files.isDirectory(corpus.resolve("samples")) && Files.isRegularFile(corpus.resolve("LICENSE")),
                "Istio's samples (samples/ and LICENSE) are not at " + corpus
                        + ": put a copy of istio/istio's samples/ with its LICENSE there, or run with -D" + PROPERTY + "=DIR");
        return corpus;
    }
}
