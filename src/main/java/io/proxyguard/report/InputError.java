package io.proxyguard.report;

/**
 * Input that could not be judged: a file that cannot be read or parsed, a chart or kustomization that did not
 * render, an object with a field of the wrong type. Line and column are 1-based, 0 when unknown. Exit code 2.
 */
public record InputError(String file, int line, int column, String message) {

    public InputError(String file, int line, String message) {
        this(file, line, 0, message);
    }
}
