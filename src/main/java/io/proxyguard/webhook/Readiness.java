package io.proxyguard.webhook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /readyz}: ready when every check passes (the serving certificate is loaded and valid, a valid
 * configuration is in force) and the server is not shutting down. Answers in the API server's own
 * verbose style, one {@code [+]name ok} or {@code [-]name failed} line per check.
 */
public final class Readiness {

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    private volatile boolean shuttingDown;

    public Readiness check(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    public void shuttingDown() {
        shuttingDown = true;
    }

    public boolean isReady() {
        return !shuttingDown && checks.values().stream().allMatch(BooleanSupplier::getAsBoolean);
    }

    public String report() {
        StringBuilder text = new StringBuilder();
        checks.forEach((name, check) -> text.append(check.getAsBoolean() ? "[+]" : "[-]").append(name)
                .append(check.getAsBoolean() ? " ok" : " failed").append('\n'));
        text.append(shuttingDown ? "[-]shutdown in progress\n" : "");
        text.append(isReady() ? "readyz check passed\n" : "readyz check failed\n");
        return text.toString();
    }
}
