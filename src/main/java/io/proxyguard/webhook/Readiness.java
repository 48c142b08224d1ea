package io.proxyguard.webhook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /readyz}: ready when every check passes (the serving certificate is loaded and valid, a valid
 * configuration is in force) and the server is not shutting down. Answers in the API server's own
 * verbose style, one {@code [+]name ok} or {@code [-]name failed} line per check, followed by what a
 * {@link ReadinessCheck} has to say ({@code [+]cluster-view ok: degraded, ...}).
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
        checks.forEach((name, check) -> {
            boolean passed = check.getAsBoolean();
            String detail = check instanceof ReadinessCheck detailed ? detailed.detail() : "";
            text.append(passed ? "[+]" : "[-]").append(name).append(passed ? " ok" : " failed")
                    .append(detail.isEmpty() ? "" : ": " + detail).append('\n');
        });
        text.append(shuttingDown ? "[-]shutdown in progress\n" : "");
        text.append(isReady() ? "readyz check passed\n" : "readyz check failed\n");
        return text.toString();
    }
}
