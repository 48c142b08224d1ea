package io.proxyguard.webhook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogLineTest {

    @Test
    void plainValuesStayBareAndOthersAreQuoted() {
        String line = new LogLine("admission review").add("uid", "705ab4f5-6393").add("user", "system:serviceaccount:ns:sa")
                .add("name", "two words").add("empty", "").toString();

        assertThat(line).isEqualTo("admission review uid=705ab4f5-6393 user=system:serviceaccount:ns:sa name=\"two words\" empty=\"\"");
    }

    @Test
    void newlinesAndQuotesCannotForgeAnotherLogLine() {
        String line = new LogLine("e").add("name", "x\" decision=allowed\nadmission review uid=forged").toString();

        assertThat(line).doesNotContain("\n")
                .isEqualTo("e name=\"x\\\" decision=allowed\\nadmission review uid=forged\"");
    }

    @Test
    void bareMeansExactlyTheLogfmtSafeCharacters() {
        java.util.regex.Pattern bare = java.util.regex.Pattern.compile("[A-Za-z0-9._:/@,+-]+");
        for (char c = 0; c < 0x3000; c++) {
            String value = "a" + c + "b";
            assertThat(LogLine.isBare(value)).as("U+%04X", (int) c).isEqualTo(bare.matcher(value).matches());
        }
        assertThat(LogLine.isBare("")).isFalse();
    }
}
