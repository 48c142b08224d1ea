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
}
