package io.proxyguard.webhook;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Standard error with its writes batched, as Kubernetes' own components do ({@code --log-flush-frequency}):
 * lines collect in a buffer that a daemon thread writes out at a fixed interval, when it is full, and at
 * exit. slf4j-simple flushes after every line, so without this each review's log line is a write system call
 * taken under a lock all request threads share. Calls to {@code flush()} are ignored while batching; a line
 * reaches the container log at most one interval late, and a process killed with SIGKILL loses at most one
 * interval of lines (SIGTERM, exit and shutdown hooks write them).
 */
public final class BatchedStderr extends OutputStream {

    static final int BUFFER_BYTES = 64 * 1024;

    private final OutputStream target;
    private final byte[] buffer;
    private int count;
    private boolean batching = true;

    BatchedStderr(OutputStream target, int bufferBytes) {
        this.target = target;
        this.buffer = new byte[bufferBytes];
    }

    /**
     * Replaces {@link System#err} with a batched stream written out every {@code interval}, and at JVM exit.
     * A zero interval changes nothing: every line is written at once.
     *
     * @return the batched stream, to {@link #writeOutNow()} before writing to the original stderr; empty for a
     *         zero interval
     */
    public static Optional<BatchedStderr> install(Duration interval) {
        if (interval.isZero()) {
            return Optional.empty();
        }
        BatchedStderr batched = new BatchedStderr(new FileOutputStream(FileDescriptor.err), BUFFER_BYTES);
        String encoding = System.getProperty("sun.stderr.encoding");
        Charset charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
        System.setErr(new PrintStream(batched, false, charset));
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "log-flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(batched::writeOutNow, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(batched::stopBatching, "log-flush-at-exit"));
        return Optional.of(batched);
    }

    /**
     * Writes out what is buffered now, so that a message written past this stream comes after it. A failed
     * write drops the buffer: stderr is gone (a closed pipe) and there is nowhere left to report it.
     */
    public synchronized void writeOutNow() {
        try {
            writeOut();
        } catch (IOException e) {
            count = 0;
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (!batching || length >= buffer.length) {
            writeOut();
            target.write(bytes, offset, length);
            return;
        }
        if (length > buffer.length - count) {
            writeOut();
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    /** Ignored while batching (the interval decides); passed on once batching has stopped. */
    @Override
    public synchronized void flush() throws IOException {
        if (!batching) {
            target.flush();
        }
    }

    /** Writes what the buffer holds to the target. */
    synchronized void writeOut() throws IOException {
        if (count > 0) {
            target.write(buffer, 0, count);
            count = 0;
        }
    }

    /** Writes the buffer out and passes every later write straight through (at exit). */
    synchronized void stopBatching() {
        writeOutNow();
        batching = false;
    }
}
