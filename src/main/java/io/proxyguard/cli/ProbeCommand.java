package io.proxyguard.cli;

import io.proxyguard.config.ConfigException;
import io.proxyguard.probe.HostPort;
import io.proxyguard.probe.ProbeDurations;
import io.proxyguard.probe.ProbeReportFormat;
import io.proxyguard.probe.ProbeResult;
import io.proxyguard.probe.ProbeSettings;
import io.proxyguard.probe.ProbedProxy;
import io.proxyguard.probe.ProxyCredentials;
import io.proxyguard.probe.ProxyProber;
import io.proxyguard.probe.TlsTrust;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code proxyguard probe}: checks the proxy itself, end to end, as a workload uses it (TCP connect,
 * CONNECT, TLS handshake with the target through the tunnel), and says precisely what is wrong.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Probe an HTTPS proxy end to end: TCP connect, CONNECT target, TLS handshake through the tunnel.",
                "The proxy password is read from the environment variable " + ProbeCommand.PASSWORD_ENV + ", never from the command line.",
                "Exit codes: 0 every target passed, 1 some probe failed, 2 usage or input error."})
public final class ProbeCommand implements Callable<Integer> {

    public static final String PASSWORD_ENV = "PROXYGUARD_PROXY_PASSWORD";

    private final Function<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Option(names = "--proxy", paramLabel = "IP:PORT", converter = HostPortConverter.class,
            description = "The proxy to probe ([addr]:port for IPv6). Use either this or --config.")
    private HostPort proxy;

    @Mixin
    private ConfigOption config;

    @Option(names = "--target", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "A host to CONNECT to through the proxy; repeatable (default: en.wikipedia.org:443).")
    private List<HostPort> targets;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Time each step may take: 500ms, 5s, 1m (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--tls", description = "The proxy itself speaks TLS (an https:// proxy).")
    private boolean tlsToProxy;

    @Option(names = "--proxy-ca", paramLabel = "FILE",
            description = "PEM CA certificates to trust for the proxy's certificate with --tls (default: the JDK trust store).")
    private Path proxyCa;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "PEM CA certificates to trust for the targets' certificates (default: the JDK trust store).")
    private Path targetCa;

    @Option(names = "--insecure",
            description = "Complete the TLS handshakes without checking certificates (they are still reported).")
    private boolean insecure;

    @Option(names = "--proxy-user", paramLabel = "USER",
            description = "User for the proxy's Basic authentication; the password comes from " + PASSWORD_ENV + ".")
    private String proxyUser;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", converter = ReportFormatConverter.class,
            description = "Report format: text or json (default: ${DEFAULT-VALUE}).")
    private ProbeReportFormat format;

    /** The command as the CLI runs it, reading the real environment. */
    public ProbeCommand() {
        this(System::getenv);
    }

    /** A command that reads its environment (the proxy password) from {@code environment}. */
    public ProbeCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ProxyCredentials> credentials = Optional.empty();
        try {
            credentials = credentials();
            ProbeSettings settings = settings(credentials);
            List<ProbeResult> results = new ProxyProber(settings).probeAll(proxies());
            out.print(format.render(results, settings::redact));
            out.flush();
            return results.stream().allMatch(ProbeResult::passed) ? Main.EXIT_OK : Main.EXIT_FINDINGS;
        } catch (UsageProblem | ConfigException | IllegalArgumentException e) {
            Optional<ProxyCredentials> known = credentials;
            err.println("proxyguard probe: " + known.map(c -> c.redact(e.getMessage())).orElse(e.getMessage()));
            err.flush();
            return Main.EXIT_USAGE;
        }
    }

    private List<ProbedProxy> proxies() throws UsageProblem, ConfigException {
        if ((proxy == null) == (config.file() == null)) {
            throw new UsageProblem("give exactly one of --proxy IP:PORT and --config FILE");
        }
        if (proxy != null) {
            return List.of(ProbedProxy.at(proxy));
        }
        List<ProbedProxy> configured = config.load().proxies().stream().map(ProbedProxy::of).toList();
        if (configured.isEmpty()) {
            throw new UsageProblem("the configuration " + config.file() + " lists no proxies to probe");
        }
        return configured;
    }

    private ProbeSettings settings(Optional<ProxyCredentials> credentials) throws UsageProblem {
        if (insecure && targetCa != null) {
            throw new UsageProblem("--insecure and --ca contradict each other: give one");
        }
        if (proxyCa != null && !tlsToProxy) {
            throw new UsageProblem("--proxy-ca only applies with --tls");
        }
        TlsTrust targetTrust = insecure ? TlsTrust.insecure() : targetCa != null ? TlsTrust.fromPemFile(targetCa) : TlsTrust.jdkDefault();
        TlsTrust proxyTrust = insecure ? TlsTrust.insecure() : proxyCa != null ? TlsTrust.fromPemFile(proxyCa) : TlsTrust.jdkDefault();
        return new ProbeSettings(targets == null ? List.of(ProbeSettings.DEFAULT_TARGET) : targets,
                timeout, tlsToProxy, proxyTrust, targetTrust, credentials);
    }

    private Optional<ProxyCredentials> credentials() throws UsageProblem {
        if (proxyUser == null) {
            return Optional.empty();
        }
        String password = environment.apply(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            throw new UsageProblem("--proxy-user needs the password in the environment variable " + PASSWORD_ENV);
        }
        return Optional.of(new ProxyCredentials(proxyUser, password));
    }

    /** A combination of options that cannot work; its message says which. */
    private static final class UsageProblem extends Exception {
        private static final long serialVersionUID = 1L;

        UsageProblem(String message) {
            super(message);
        }
    }

    /** A picocli converter around a parser whose IllegalArgumentException message says what is wrong. */
    private abstract static class ParsingConverter<T> implements CommandLine.ITypeConverter<T> {
        private final Function<String, T> parser;

        ParsingConverter(Function<String, T> parser) {
            this.parser = parser;
        }

        @Override
        public T convert(String value) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code HOST:PORT} or {@code [IPv6]:PORT}. */
    static final class HostPortConverter extends ParsingConverter<HostPort> {
        HostPortConverter() {
            super(HostPort::parse);
        }
    }

    /** {@code 500ms}, {@code 5s}, {@code 1m}. */
    static final class DurationConverter extends ParsingConverter<Duration> {
        DurationConverter() {
            super(ProbeDurations::parse);
        }
    }

    /** A duration as {@link DurationConverter} reads it, or zero ({@code 0}, {@code 0s}, {@code 0ms}) for none. */
    static final class DurationOrZeroConverter extends ParsingConverter<Duration> {
        private static final Pattern ZERO = Pattern.compile("0+(ms|s|m|h)?");

        DurationOrZeroConverter() {
            super(text -> ZERO.matcher(text.trim()).matches() ? Duration.ZERO : ProbeDurations.parse(text));
        }
    }

    /** {@code text} or {@code json}. */
    static final class ReportFormatConverter extends ParsingConverter<ProbeReportFormat> {
        ReportFormatConverter() {
            super(ProbeReportFormat::parse);
        }
    }
}
