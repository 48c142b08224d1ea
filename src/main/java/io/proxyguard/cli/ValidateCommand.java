package io.proxyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.config.ConfigException;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.manifest.Excludes;
import io.proxyguard.manifest.InputResult;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.manifest.SafeYaml;
import io.proxyguard.offline.OfflineValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code proxyguard validate}: the engine over manifest files, charts and kustomizations, for CI pipelines. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check manifests offline with the same rules as the webhook.",
                "Exit codes: 0 nothing at the fail level, 1 findings at the fail level, 2 usage or input error "
                        + "(2 wins over 1: every finding is still reported)."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A file, a directory (recursive: .yaml, .yml, .json; Helm charts and kustomizations rendered) or - for stdin. Repeatable.")
    private List<String> paths;

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Leave out what a directory walk finds that matches (a name, or a path with /; ** for any depth). Repeatable; "
                    + "a .proxyguardignore at the root of a directory adds its own.")
    private List<String> excludes = new ArrayList<>();

    @Mixin
    private ConfigOption config;

    @Mixin
    private RenderOptions render;

    @Mixin
    private ReportOptions report;

    @Option(names = "--fix", description = "Write every document read from a file or stdin to stdout as YAML, fixed where a fix exists, "
            + "and a comment naming each input not written; the report goes to stderr.")
    private boolean fix;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<InputResult> inputs;
        PolicyEngine engine;
        if (report.wantsPolicyReports()) {
            err.println("proxyguard: -o policyreport is an output of proxyguard audit (PolicyReports describe a cluster)");
            return Main.EXIT_USAGE;
        }
        try {
            engine = new PolicyEngine(config.load());
            inputs = new ManifestReader(System.in, render.renderers(), Excludes.of(excludes)).readInputs(paths);
        } catch (ConfigException | ManifestException | IllegalArgumentException e) {
            err.println("proxyguard: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        OfflineValidator.Result result = new OfflineValidator(engine).validate(inputs);
        if (!fix) {
            return report.print(result.report(), out);
        }
        for (OfflineValidator.FixedInput input : result.fixedInputs()) {
            input.notWritten().ifPresent(why -> out.print("# proxyguard --fix: not written: " + input.source() + ": " + why + "\n"));
            for (JsonNode document : input.documents()) {
                out.print(SafeYaml.write(document));
            }
        }
        out.flush();
        return report.print(result.report(), err);
    }
}
