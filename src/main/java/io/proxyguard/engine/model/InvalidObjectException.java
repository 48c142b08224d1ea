package io.proxyguard.engine.model;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.proxyguard.engine.ResourceRef;

/**
 * An object whose fields cannot be read into the model (a string where a number belongs, an unknown enum).
 * The message names the field and the expected type, never the value: input may hold credentials.
 */
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

    /** Turns a Jackson mapping failure under {@code root} into "spec.ports[0].number: not a valid Long". */
    static InvalidObjectException fromMapping(ResourceRef ref, String root, Exception e) {
        StringBuilder path = new StringBuilder(root);
        String expected = "a value of another type";
        if ((e instanceof JsonMappingException ? e : e.getCause()) instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append('.').append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            if (mapping instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                    && mismatch.getTargetType() != null) {
                expected = describe(mismatch.getTargetType());
            }
        }
        return new InvalidObjectException(ref, path + ": expected " + expected);
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
    }
}
