package io.proxyguard.tls;

/**
 * Certificate or key material that cannot be used: unreadable PEM, a key that does not belong to its
 * certificate, a file that is missing. The message says which file or value and what is wrong.
 */
public class TlsMaterialException extends Exception {

    private static final long serialVersionUID = 1L;

    public TlsMaterialException(String message) {
        super(message);
    }

    public TlsMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
