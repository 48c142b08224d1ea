package io.proxyguard.cli;

import io.proxyguard.tls.CertificateAndKey;
import io.proxyguard.tls.CertificateAuthority;
import io.proxyguard.tls.CertificateFiles;
import io.proxyguard.tls.HostNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code proxyguard certs}: a CA and a serving certificate for the webhook's Service, as PEM files, and the
 * {@code caBundle} for the webhook configuration on stdout (what was written goes to stderr, so
 * {@code CA_BUNDLE=$(proxyguard certs ...)} works). Existing files are never overwritten without
 * {@code --force}: replacing a CA silently breaks every webhook configuration that trusts it.
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {"Create a CA and a TLS serving certificate for the webhook (ECDSA P-256, PEM):",
                "ca.crt, ca.key, tls.crt, tls.key. Prints the base64 caBundle for the webhook configuration."})
public final class CertsCommand implements Callable<Integer> {

    static final int MAX_DAYS = 3650;

    @Spec
    private CommandSpec spec;

    @Option(names = "--service", required = true, paramLabel = "NAME", description = "Name of the webhook's Service.")
    private String service;

    @Option(names = "--namespace", required = true, paramLabel = "NS", description = "Namespace of the webhook's Service.")
    private String namespace;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "certs", description = "Output directory (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--days", paramLabel = "N", defaultValue = "365",
            description = "Validity of the CA and the serving certificate in days, 1.." + MAX_DAYS + " (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--host", paramLabel = "H",
            description = "Another name for the serving certificate: a DNS name, or an IP address (as an IP SAN). Repeatable.")
    private List<String> hosts = new ArrayList<>();

    @Option(names = "--force", description = "Overwrite existing files in --out.")
    private boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> problems = problems();
        CertificateFiles files = new CertificateFiles(this.out);
        if (problems.isEmpty() && !force && !files.existing().isEmpty()) {
            problems.add("refusing to overwrite " + files.existing() + ": use --force to replace them");
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("proxyguard certs: " + p));
            err.flush();
            return Main.EXIT_USAGE;
        }
        Set<String> dnsNames = new LinkedHashSet<>(HostNames.forService(service, namespace));
        List<String> ips = new ArrayList<>();
        hosts.forEach(h -> (HostNames.isIpAddress(h) ? ips : dnsNames).add(h));
        Duration validity = Duration.ofDays(days);
        CertificateAuthority ca = CertificateAuthority.create(CertificateAuthority.DEFAULT_COMMON_NAME, validity, Clock.systemUTC());
        CertificateAndKey serving = ca.issueServing(List.copyOf(dnsNames), ips, validity);
        try {
            files.write(ca, serving);
        } catch (IOException e) {
            err.println("proxyguard certs: cannot write to " + this.out + ": " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        err.println("wrote " + files.caCert() + ", " + files.caKey() + ", " + files.tlsCert() + ", " + files.tlsKey());
        List<String> names = new ArrayList<>(dnsNames);
        names.addAll(ips);
        err.println("serving certificate for " + String.join(", ", names) + "; valid until " + serving.notAfter());
        err.println("caBundle for the webhook configuration (base64 of " + files.caCert() + "):");
        err.flush();
        out.println(Base64.getEncoder().encodeToString(ca.caBundlePem().getBytes(StandardCharsets.US_ASCII)));
        out.flush();
        return Main.EXIT_OK;
    }

    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!HostNames.isDnsLabel(service)) {
            problems.add("--service '" + service + "' is not a Service name (lower-case letters, digits and '-', at most 63)");
        }
        if (!HostNames.isDnsLabel(namespace)) {
            problems.add("--namespace '" + namespace + "' is not a namespace name (lower-case letters, digits and '-', at most 63)");
        }
        if (days < 1 || days > MAX_DAYS) {
            problems.add("--days " + days + " is out of range 1.." + MAX_DAYS);
        }
        for (String host : hosts) {
            if (!HostNames.isIpAddress(host) && !HostNames.isDnsName(host)) {
                problems.add("--host '" + host + "' is neither a DNS name nor an IP address");
            }
        }
        return problems;
    }
}
