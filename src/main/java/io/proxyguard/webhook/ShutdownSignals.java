package io.proxyguard.webhook;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/**
 * Turns SIGTERM (what Kubernetes sends to stop a pod) and SIGINT (Ctrl-C) into a latch the serve command
 * waits on, instead of the JVM's default of running shutdown hooks and exiting with 143. The command can
 * then stop the server gracefully and exit 0. Uses {@code sun.misc.Signal} (module jdk.unsupported), the
 * only JDK API for handling a signal.
 */
public final class ShutdownSignals {

    private final CountDownLatch received = new CountDownLatch(1);
    private volatile String name = "";

    private ShutdownSignals() {
    }

    /** Installs the handlers; from now on SIGTERM and SIGINT release {@link #await()}. */
    public static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> {
                signals.name = "SIG" + s.getName();
                signals.received.countDown();
            });
        }
        return signals;
    }

    /** Blocks until a signal arrives and returns its name, e.g. {@code SIGTERM}. */
    public String await() throws InterruptedException {
        received.await();
        return name;
    }
}
