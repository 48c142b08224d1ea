package io.proxyguard.engine.model;

import io.proxyguard.engine.ResourceRef;

/** An object whose fields cannot be read into the model (a string where a number belongs, an unknown enum). */
public class InvalidObjectException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ResourceRef ref;

    public InvalidObjectException(ResourceRef ref, String message) {
        super(ref.display() + ": " + message);
        this.ref = ref;
    }

    public ResourceRef ref() {
        return ref;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
