package io.proxyguard.manifest;

/** Input that cannot be read: the message names the source (file or stdin) and, when known, the line. */
public class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
