package io.proxyguard.chart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code helm} binary that {@code .ci/install-deps} puts into {@code tools/bin/}, against
 * this repository's chart. A missing binary is a test failure with the command that fixes it, never a
 * skip: a chart that was not rendered is a chart that was not tested.
 */
final class Helm {

    static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    static final Path CHART = REPO.resolve("charts/proxyguard");
    static final String RELEASE = "pg";
    static final String NAMESPACE = "proxyguard-system";
    /** The Kubernetes version rendered against (the chart needs at least 1.23). */
    static final String KUBE_VERSION = "1.34.0";

    private static final long TIMEOUT_SECONDS = 120;

    private final Path binary;
    private final Path home;

    private Helm(Path binary, Path home) {
        this.binary = binary;
        this.home = home;
    }

    /** The repository's helm; fails with a clear message when {@code .ci/install-deps} has not run. */
    static Helm installed() {
        Path binary = REPO.resolve("tools/bin/helm");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("helm is not installed at " + binary
                    + ": run .ci/install-deps in the repository first (the chart tests need the real binary)");
        }
        try {
            return new Helm(binary, Files.createDirectories(REPO.resolve("target/helm-home")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a HELM home directory", e);
        }
    }

    /** {@code helm lint --strict} of the chart with these extra arguments (values files, --set). */
    HelmRun lint(List<String> args) {
        List<String> command = new ArrayList<>(List.of("lint", "--strict", CHART.toString(),
                "--namespace", NAMESPACE, "--kube-version", KUBE_VERSION));
        command.addAll(args);
        return run(command);
    }

    /** {@code helm template} of the chart as release {@link #RELEASE} in {@link #NAMESPACE}. */
    HelmRun template(List<String> args) {
        return template(RELEASE, NAMESPACE, args);
    }

    /** {@code helm template} of the chart as {@code release} in {@code namespace}. */
    HelmRun template(String release, String namespace, List<String> args) {
        List<String> command = new ArrayList<>(List.of("template", release, CHART.toString(),
                "--namespace", namespace, "--kube-version", KUBE_VERSION));
        command.addAll(args);
        return run(command);
    }

    /**
     * {@code helm template --dry-run=server} against the cluster in {@code kubeconfig}: the way Helm
     * renders on install and upgrade, where {@code lookup} sees live objects.
     */
    HelmRun templateAgainst(Path kubeconfig, List<String> args) {
        List<String> command = new ArrayList<>(List.of("template", RELEASE, CHART.toString(),
                "--namespace", NAMESPACE, "--dry-run=server", "--disable-openapi-validation",
                "--kubeconfig", kubeconfig.toString()));
        command.addAll(args);
        return run(command);
    }

    /** Renders and parses; fails the test with helm's own error when rendering fails. */
    RenderedChart render(String... args) {
        HelmRun run = template(List.of(args));
        if (run.exitCode() != 0) {
            throw new AssertionError("helm template " + String.join(" ", args) + " failed (exit "
                    + run.exitCode() + "):\n" + run.stderr());
        }
        return RenderedChart.parse(run.stdout());
    }

    /** The values file of one {@code ci/} scenario, as {@code -f} arguments. */
    static String[] scenario(String fileName) {
        return new String[] {"-f", CHART.resolve("ci").resolve(fileName).toString()};
    }

    private HelmRun run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile());
        // A private HELM home: no user repositories or plugins, nothing written outside the test's temp dir.
        builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        builder.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
        try {
            Path out = Files.createTempFile(home, "stdout", ".txt");
            Path err = Files.createTempFile(home, "stderr", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("helm " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + "s");
            }
            HelmRun run = new HelmRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** What one helm invocation printed and returned. */
    record HelmRun(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }
}
