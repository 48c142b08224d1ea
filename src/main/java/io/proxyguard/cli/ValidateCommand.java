package io.proxyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxyguard.config.ConfigException;
import io.proxyguard.engine.PolicyEngine;
import io.proxyguard.engine.Severity;
import io.proxyguard.engine.rules.RuleCatalog;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.ManifestReader;
import io.proxyguard.manifest.SafeYaml;
import io.proxyguard.offline.OfflineValidator;
import io.proxyguard.report.ReportFormat;
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

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "Report format: text, json or sarif (default: ${DEFAULT-VALUE}).")
    private ReportFormat format;

    @Option(names = "--fix", description = "Write every input document to stdout as YAML, fixed where a fix exists; the report goes to stderr.")
    private boolean fix;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "deny", converter = SeverityConverter.class,
            description = "Lowest severity that makes the exit code 1: deny or warn (default: ${DEFAULT-VALUE}).")
    private Severity failOn;

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
        String report = format.render(result.report(), RuleCatalog.standard());
        if (fix) {
            for (JsonNode document : result.fixedDocuments()) {
                out.print(SafeYaml.write(document));
            }
            err.print(report);
        } else {
            out.print(report);
        }
        out.flush();
        err.flush();
        if (!result.report().errors().isEmpty()) {
            return Main.EXIT_USAGE;
        }
        return result.report().fails(failOn) ? Main.EXIT_FINDINGS : Main.EXIT_OK;
    }
}
