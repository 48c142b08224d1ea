package io.proxyguard.engine;

/**
 * What a rule reports about one object: where ({@code path}, as {@code spec.ports[0].protocol}), what is
 * wrong and what to do ({@code message}), and the fix when one is known (else null).
 */
public record Violation(String path, String message, Fix fix) {

    public static Violation of(String path, String message) {
        return new Violation(path, message, null);
    }

    public static Violation fixable(String path, String message, Fix fix) {
        return new Violation(path, message, fix);
    }
}
