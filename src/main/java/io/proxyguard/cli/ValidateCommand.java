package io.proxyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.config.ConfigException;
import io.proxyguard.engine.PolicyEngine;
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
import java.util.List;
import java.util.concurrent.Callable;

/** {@code proxyguard validate}: the engine over manifest files, for CI pipelines. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check manifests offline with the same rules as the webhook.",
                "Exit codes: 0 nothing at the fail level, 1 findings at the fail level, 2 usage or input error."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "PATH",
            description = "A file, a directory (recursive: .yaml, .yml, .json) or - for stdin. Repeatable.")
    private List<String> paths;

    @Mixin
    private ConfigOption config;

    @Mixin
    private ReportOptions report;

    @Option(names = "--fix", description = "Write every input document to stdout as YAML, fixed where a fix exists; the report goes to stderr.")
    private boolean fix;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OfflineValidator.Result result;
        try {
            PolicyEngine engine = new PolicyEngine(config.load());
            result = new OfflineValidator(engine).validate(new ManifestReader(System.in).read(paths));
        } catch (ConfigException | ManifestException e) {
            err.println("proxyguard: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        if (!fix) {
            return report.print(result.report(), out);
        }
        for (JsonNode document : result.fixedDocuments()) {
            out.print(SafeYaml.write(document));
        }
        out.flush();
        return report.print(result.report(), err);
    }
}
