package io.proxyguard.webhook;

import java.util.Optional;

/** {@code request.operation} of an AdmissionReview. */
public enum Operation {
    CREATE,
    UPDATE,
    DELETE,
    CONNECT;

    public static Optional<Operation> of(String text) {
        for (Operation operation : values()) {
            if (operation.name().equals(text)) {
                return Optional.of(operation);
            }
        }
        return Optional.empty();
    }

    /** True for the operations that carry a new object to judge. */
    public boolean writesObject() {
        return this == CREATE || this == UPDATE;
    }
}
