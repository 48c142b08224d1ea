package io.proxyguard.webhook;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class WarningsTest {

    @Test
    void shortWarningsPassUnchanged() {
        assertThat(Warnings.fit(List.of("PG102: a", "PG105: b"))).containsExactly("PG102: a", "PG105: b");
    }

    @Test
    void longWarningIsCutBelow256CharactersKeepingItsRuleId() {
        String warning = "PG107: " + "x".repeat(400);

        String fitted = Warnings.fit(List.of(warning)).get(0);

        assertThat(fitted).hasSize(Warnings.MAX_WARNING_CHARS).startsWith("PG107: ").endsWith("...");
    }

    @Test
    void controlCharactersCannotSplitAWarning() {
        assertThat(Warnings.fit(List.of("PG107: host a\nWarning: forged"))).containsExactly("PG107: host a Warning: forged");
    }

    @Test
    void warningsPastTheTotalBudgetAreReplacedByACountOfWhatWasLeftOut() {
        List<String> many = IntStream.range(0, 40).mapToObj(i -> String.format("PG108: warning %02d ", i) + "y".repeat(200)).toList();

        List<String> fitted = Warnings.fit(many);

        int total = fitted.stream().mapToInt(String::length).sum();
        int kept = fitted.size() - 1;
        assertThat(total).isLessThanOrEqualTo(Warnings.MAX_TOTAL_CHARS).isLessThan(4096);
        assertThat(fitted.subList(0, kept)).isEqualTo(many.subList(0, kept));
        assertThat(fitted.get(kept)).isEqualTo(Warnings.droppedNote(40 - kept)).contains((40 - kept) + " more warnings not shown");
    }

    @Test
    void noWarningsGiveNoWarnings() {
        assertThat(Warnings.fit(Collections.emptyList())).isEmpty();
    }
}
