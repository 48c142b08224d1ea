package io.proxyguard.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * The part of an AdmissionReview's {@code request} the webhook uses. {@code object} and {@code oldObject}
 * stay raw JSON trees, exactly as the API server sent them, so a patch computed against them is exact.
 *
 * @param kind        {@code request.kind.kind}, e.g. {@code ServiceEntry}
 * @param subResource {@code request.subResource}, empty for the main resource (e.g. {@code status})
 * @param user        {@code request.userInfo.username}
 * @param object      the new object (absent on DELETE)
 * @param oldObject   the stored object (present on UPDATE and DELETE)
 */
public record AdmissionRequest(
        AdmissionVersion version,
        String uid,
        Operation operation,
        String kind,
        String subResource,
        String namespace,
        String name,
        String user,
        boolean dryRun,
        Optional<ObjectNode> object,
        Optional<ObjectNode> oldObject) {

    /**
     * The object the webhooks judge: the new object of a CREATE or UPDATE of the main resource. Empty for
     * DELETE and CONNECT (nothing new is stored) and for subresources such as {@code status}, whose
     * updates cannot change the spec the rules look at.
     */
    public Optional<ObjectNode> objectToJudge() {
        if (!operation.writesObject() || !subResource.isEmpty()) {
            return Optional.empty();
        }
        return object;
    }
}
