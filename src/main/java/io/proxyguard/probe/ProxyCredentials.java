package io.proxyguard.probe;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user and password for the proxy's Basic authentication. The password leaves this object only inside
 * the {@code Proxy-Authorization} header; {@link #redact} removes it, and its encoded forms, from any text
 * that might be shown, and {@link #toString} never includes it.
 */
public record ProxyCredentials(String user, String password) {

    private static final String MASK = "****";

    public ProxyCredentials {
        if (user == null || user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("proxy user must be non-empty and contain no ':'");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("proxy password is empty");
        }
    }

    /** The value of the {@code Proxy-Authorization} header (RFC 7617 Basic, UTF-8). */
    public String proxyAuthorization() {
        return "Basic " + basicToken();
    }

    /** {@code text} with the password, {@code user:password} and its Base64 token replaced by {@code ****}. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        return text.replace(basicToken(), MASK).replace(password, MASK);
    }

    private String basicToken() {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ProxyCredentials[user=" + user + ", password=" + MASK + "]";
    }
}
