package io.proxyguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code proxyguard} command. Exit codes: 0 nothing reached the fail level, 1 something did,
 * 2 usage or input error.
 */
@Command(name = "proxyguard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps Istio ServiceEntries for an external HTTPS proxy correct: an admission webhook and an offline validator.",
        subcommands = {ValidateCommand.class, AuditCommand.class, ServeCommand.class, CertsCommand.class,
                ProbeCommand.class, RulesCommand.class, PolicyCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FINDINGS = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests, which must not exit the JVM). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            cmd.getErr().println("proxyguard: " + e.getMessage());
            return EXIT_USAGE;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
