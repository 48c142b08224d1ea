package io.proxyguard.webhook;

import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM (what Kubernetes sends to stop a pod) and SIGINT (Ctrl-C) into events the serve command waits
 * on, instead of the JVM's default of running shutdown hooks and exiting with 143. The command can then drain
 * and stop the server gracefully and exit 0; a second signal while it drains ends the drain at once. Uses
 * {@code sun.misc.Signal} (module jdk.unsupported), the only JDK API for handling a signal.
 */
public final class ShutdownSignals {

    private final Semaphore received = new Semaphore(0);
    private volatile String name = "";

    private ShutdownSignals() {
    }

    /** Installs the handlers; from now on each SIGTERM and SIGINT releases one wait. */
    public static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> {
                signals.name = "SIG" + s.getName();
                signals.received.release();
            });
        }
        return signals;
    }

    /** Blocks until a signal arrives and returns its name, e.g. {@code SIGTERM}. */
    public String await() throws InterruptedException {
        received.acquire();
        return name;
    }

    /** Waits up to {@code timeout} for another signal; true when one came (the name is then that signal's). */
    public boolean awaitAnother(Duration timeout) throws InterruptedException {
        return received.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
