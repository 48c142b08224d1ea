package io.proxyguard.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesTest {

    @Test
    void aMessageWithoutBreaksIsKeptAsItIs() {
        String message = "address 10.10.0.5 has no prefix: write 10.10.0.5/32";

        assertThat(Messages.limit(message)).isSameAs(message);
    }

    @Test
    void eachRunOfLineBreaksAndTabsBecomesOneSpace() {
        assertThat(Messages.limit("host evil\r\n\tPG999: forged\nend")).isEqualTo("host evil PG999: forged end");
    }

    @Test
    void aLongMessageIsCutToTheLimitWithAnEllipsis() {
        String limited = Messages.limit("x".repeat(300));

        assertThat(limited).hasSize(Messages.MAX_LENGTH).endsWith("...");
        assertThat(Messages.limit("y".repeat(Messages.MAX_LENGTH))).hasSize(Messages.MAX_LENGTH).doesNotContain("...");
    }
}
