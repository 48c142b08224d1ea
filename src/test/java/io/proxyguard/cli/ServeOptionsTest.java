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
}
