package io.proxyguard.webhook;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BatchedStderrTest {

    /** Counts the writes that reach it, as a file descriptor would count system calls. */
    private static final class CountingTarget extends ByteArrayOutputStream {
        int writes;
        int flushes;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void linesFlushedByTheLoggerWaitInTheBufferAndGoOutInOneWrite() throws IOException {
        CountingTarget target = new CountingTarget();
        BatchedStderr batched = new BatchedStderr(target, 1024);
        PrintStream err = new PrintStream(batched, false, StandardCharsets.UTF_8);

        for (int i = 0; i < 10; i++) {
            err.println("line " + i); // slf4j-simple's write: println, then flush
            err.flush();
        }
        assertThat(target.writes).isZero();

        batched.writeOut();

        assertThat(target.writes).isEqualTo(1);
        assertThat(target.flushes).isZero();
        assertThat(target.text()).startsWith("line 0\nline 1\n").endsWith("line 9\n").hasLineCount(10);
    }

    @Test
    void aFullBufferIsWrittenBeforeTheLineThatDoesNotFitAndNothingIsLostOrReordered() throws IOException {
        CountingTarget target = new CountingTarget();
        BatchedStderr batched = new BatchedStderr(target, 64);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            byte[] line = ("review " + i + "\n").getBytes(StandardCharsets.UTF_8);
            batched.write(line, 0, line.length);
            expected.append("review ").append(i).append('\n');
        }
        batched.writeOut();

        assertThat(target.text()).isEqualTo(expected.toString());
        assertThat(target.writes).isBetween(expected.length() / 64, expected.length() / 64 + 2);
    }

    @Test
    void aWriteLargerThanTheBufferGoesStraightThroughAfterWhatWasBuffered() throws IOException {
        CountingTarget target = new CountingTarget();
        BatchedStderr batched = new BatchedStderr(target, 16);
        batched.write("first\n".getBytes(StandardCharsets.UTF_8), 0, 6);
        byte[] stackTrace = "java.lang.IllegalStateException: boom\n\tat somewhere\n".getBytes(StandardCharsets.UTF_8);

        batched.write(stackTrace, 0, stackTrace.length);

        assertThat(target.text()).isEqualTo("first\n" + new String(stackTrace, StandardCharsets.UTF_8));
    }

    @Test
    void atExitTheBufferIsWrittenAndLaterLinesPassStraightThrough() throws IOException {
        CountingTarget target = new CountingTarget();
        BatchedStderr batched = new BatchedStderr(target, 1024);
        batched.write("before exit\n".getBytes(StandardCharsets.UTF_8), 0, 12);

        batched.stopBatching();
        assertThat(target.text()).isEqualTo("before exit\n");

        batched.write("from a later shutdown hook\n".getBytes(StandardCharsets.UTF_8), 0, 27);
        batched.flush();
        assertThat(target.text()).isEqualTo("before exit\nfrom a later shutdown hook\n");
        assertThat(target.flushes).isEqualTo(1);
    }
}
