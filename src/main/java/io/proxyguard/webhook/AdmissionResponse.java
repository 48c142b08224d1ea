package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.Optional;

/**
 * What the webhook answers to one review, before it is written in the request's API version. Built with
 * the named constructors {@link #allow()}, {@link #deny(String)} and {@link #allowWithPatch(ArrayNode)}, then
 * {@link #withWarnings(List)}. A denial always carries HTTP status 403 in {@code response.status}.
 */
public record AdmissionResponse(boolean allowed, Optional<String> denialMessage, Optional<ArrayNode> patch, List<String> warnings) {

    public static final int DENIED_CODE = 403;

    public AdmissionResponse {
        warnings = List.copyOf(warnings);
        if (allowed == denialMessage.isPresent()) {
            throw new IllegalArgumentException("a response is either allowed or denied with a message");
        }
        if (!allowed && patch.isPresent()) {
            throw new IllegalArgumentException("a denied response carries no patch");
        }
    }

    public static AdmissionResponse allow() {
        return new AdmissionResponse(true, Optional.empty(), Optional.empty(), List.of());
    }

    public static AdmissionResponse deny(String message) {
        return new AdmissionResponse(false, Optional.of(message), Optional.empty(), List.of());
    }

    /** Allowed with an RFC 6902 patch; an empty patch means nothing changes and is not sent. */
    public static AdmissionResponse allowWithPatch(ArrayNode patch) {
        return new AdmissionResponse(true, Optional.empty(), patch.isEmpty() ? Optional.empty() : Optional.of(patch), List.of());
    }

    public AdmissionResponse withWarnings(List<String> newWarnings) {
        return new AdmissionResponse(allowed, denialMessage, patch, newWarnings);
    }
}
