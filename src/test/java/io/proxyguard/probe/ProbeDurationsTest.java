package io.proxyguard.probe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeDurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S, 500ms", "5s, PT5S, 5s", "1m, PT1M, 1m", "2h, PT2H, 120m", "90s, PT1M30S, 90s", " 5S , PT5S, 5s"})
    void parsesShortDurationsAndFormatsThemBack(String text, String iso, String formatted) {
        Duration parsed = ProbeDurations.parse(text);

        assertThat(parsed).isEqualTo(Duration.parse(iso));
        assertThat(ProbeDurations.format(parsed)).isEqualTo(formatted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "five seconds", "-1s", "1.5s", "PT5S", "", "5 s"})
    void rejectsAnythingElseNamingTheForms(String text) {
        assertThatThrownBy(() -> ProbeDurations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("500ms, 5s or 1m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "0ms"})
    void rejectsZero(String text) {
        assertThatThrownBy(() -> ProbeDurations.parse(text)).hasMessageContaining("must be positive");
    }
}
