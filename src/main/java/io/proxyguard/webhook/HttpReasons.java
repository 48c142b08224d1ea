package io.proxyguard.webhook;

/** The {@code reason} of a Kubernetes {@code Status} (metav1.StatusReason) for each HTTP status the webhook answers. */
final class HttpReasons {

    private HttpReasons() {
    }

    static String of(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "Timeout";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> "InternalError";
        };
    }
}
