package io.proxyguard.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReviewLogTest {

    @ParameterizedTest(name = "{0} ns is logged as {1} ms")
    @CsvSource(textBlock = """
            0,          0.00
            840000,     0.84
            4999,       0.00
            5000,       0.01
            1005000,    1.01
            12345600,   12.35
            1000000000, 1000.00
            """)
    void durationsAreMillisecondsWithTwoDecimalsRoundedHalfUp(long nanos, String expected) {
        assertThat(ReviewLog.millis(Duration.ofNanos(nanos))).isEqualTo(expected);
    }
}
