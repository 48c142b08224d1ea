package io.proxyguard.webhook;

import java.util.function.BooleanSupplier;

/**
 * A readiness check that says more than ok or failed in {@code /readyz}: what it waits for, or in what way it is
 * ready (a cluster view that is not listed yet: ready, degraded, with the stateless rules only).
 */
public interface ReadinessCheck extends BooleanSupplier {

    /** Said after {@code ok} or {@code failed}; empty for nothing. */
    String detail();

    static ReadinessCheck of(BooleanSupplier ready, java.util.function.Supplier<String> detail) {
        return new ReadinessCheck() {
            @Override
            public boolean getAsBoolean() {
                return ready.getAsBoolean();
            }

            @Override
            public String detail() {
                return detail.get();
            }
        };
    }
}
