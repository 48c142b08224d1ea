package io.proxyguard.webhook;

/** An HTTP request that is not a usable AdmissionReview; {@code status} is the HTTP status to answer with. */
public class BadRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
