package io.proxyguard.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls back when the content of some files changes. It polls a digest of their content instead of
 * using file-system events, because a mounted Kubernetes Secret or ConfigMap changes by swapping a
 * {@code ..data} symlink that event APIs do not report on the files themselves. A change is acted on
 * once the content has stayed the same for one more poll, so a writer that replaces two files one
 * after the other (a certificate and its key) is seen as one change, not as a broken pair.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final List<Path> files;
    private final Runnable onChange;
    private final ScheduledExecutorService poller;
    private String seen;
    private String actedOn;

    private FileWatcher(String name, List<Path> files, Runnable onChange) {
        this.files = List.copyOf(files);
        this.onChange = onChange;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "watch-" + name);
            thread.setDaemon(true);
            return thread;
        });
        this.seen = digest();
        this.actedOn = seen;
    }

    /** Starts polling {@code files} every {@code interval}; the current content counts as already seen. */
    public static FileWatcher start(String name, List<Path> files, Duration interval, Runnable onChange) {
        FileWatcher watcher = new FileWatcher(name, files, onChange);
        watcher.poller.scheduleWithFixedDelay(watcher::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    private void poll() {
        try {
            String current = digest();
            if (!current.equals(seen)) {
                seen = current;
                return;
            }
            if (!current.equals(actedOn)) {
                actedOn = current;
                onChange.run();
            }
        } catch (RuntimeException e) {
            LOG.error("watching {} failed; will try again", files, e);
        }
    }

    private String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                try {
                    sha.update(Files.readAllBytes(file));
                } catch (NoSuchFileException e) {
                    sha.update("missing".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    sha.update(("unreadable " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
                }
                sha.update(new byte[] {0});
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
