package io.proxyguard.report;

/** An object that could not be judged (a field of the wrong type): reported, and exit code 2. */
public record InputError(String file, int line, String message) {
}
