package io.proxyguard.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a review may wait for a slot, from the {@code timeout} the API server puts in the webhook's URL. */
class WaitBudgetTest {

    @ParameterizedTest(name = "timeout={0} -> {1} ms")
    @CsvSource(nullValues = "none", textBlock = """
            5s,     2500
            10s,    5000
            1s,     500
            30s,    15000
            none,   5000
            '',     5000
            5 s,    5000
            soon,   5000
            1h,     15000
            """)
    void isHalfTheCallersTimeoutOrOfTheApiServersDefault(String timeout, long millis) {
        assertThat(WaitBudget.of(timeout)).isEqualTo(Duration.ofMillis(millis));
    }
}
