package io.proxyguard.cli;

import io.proxyguard.webhook.BatchedStderr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Options of {@code serve}: how their values are read, and what a bad value gets, before any server starts. */
class ServeOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0ms", " 0 "})
    void logFlushFrequencyOfZeroMeansEveryLineAtOnce(String zero) {
        Duration interval = new ProbeCommand.DurationOrZeroConverter().convert(zero);

        assertThat(interval).isZero();
        assertThat(BatchedStderr.install(interval)).as("no batching: stderr stays as it is").isEmpty();
    }

    @Test
    void logFlushFrequencyReadsTheUsualDurations() {
        ProbeCommand.DurationOrZeroConverter converter = new ProbeCommand.DurationOrZeroConverter();
        assertThat(converter.convert("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(converter.convert("1s")).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1s", "soon", "100", "1.5s"})
    void aLogFlushFrequencyThatIsNotADurationIsAUsageErrorThatSaysSo(String value) {
        CommandRun run = CommandRun.of("serve", "--log-flush-frequency", value);

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("--log-flush-frequency").contains("is not a duration");
    }

    @Test
    void theShutdownDelayIsFiveSecondsByDefaultAndZeroTurnsItOff() {
        picocli.CommandLine.Model.OptionSpec delay = new picocli.CommandLine(new ServeCommand()).getCommandSpec().findOption("--shutdown-delay");

        assertThat(delay.defaultValue()).isEqualTo("5s");
        assertThat(new ProbeCommand.DurationOrZeroConverter().convert("0")).isZero();
        assertThat(String.join(" ", delay.description())).contains("SIGINT").contains("GOAWAY").contains("HTTP/1.1 answers close their connection");
    }

    @Test
    void bothOperationsByDefault() {
        picocli.CommandLine.Model.OptionSpec operation = new picocli.CommandLine(new ServeCommand()).getCommandSpec().findOption("--operation");

        assertThat(operation.defaultValue()).isEqualTo("webhook,audit");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "--operation audit --certificates self-managed --namespace pg --cert-secret s --service s --leader-lease l --kubeconfig k"
                    + " | --certificates self-managed keeps the webhook's certificate: it needs --operation webhook",
            "--operation audit --audit-interval 0 --kubeconfig k | --operation audit with --audit-interval 0 has nothing to do",
            "--operation audit --cluster-view off | --operation audit judges the cluster: it needs a cluster view",
            "--operation audit --tls-cert c --tls-key k --kubeconfig k | --tls-cert is for the webhook port, which a process without --operation webhook does not open",
            "--operation audit --client-ca c --kubeconfig k | --client-ca is for the webhook port",
            "--operation review | Invalid value for option '--operation'"})
    void anAuditOnlyProcessRefusesWhatWouldHaveNoEffectBeforeStarting(String options, String message) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("serve"));
        args.addAll(java.util.List.of(options.split(" ")));

        CommandRun run = CommandRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains(message);
    }
}
