package io.proxyguard.engine;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;

import java.util.EnumSet;
import java.util.List;

/**
 * Applies {@link Fix}es to a copy of an object's raw JSON and computes the JSON Patch between the two.
 * Working on the raw tree (not a typed model) means no field the model does not know is ever dropped.
 */
final class FixApplier {

    private static final EnumSet<DiffFlags> ADD_AND_REPLACE_ONLY =
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);

    private FixApplier() {
    }

    static ObjectNode apply(ObjectNode original, List<Fix> fixes) {
        ObjectNode copy = original.deepCopy();
        for (Fix fix : fixes) {
            set(copy, JsonPointer.compile(fix.pointer()), fix.value());
        }
        return copy;
    }

    static ArrayNode noPatch() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static ArrayNode diff(JsonNode original, JsonNode fixed) {
        return (ArrayNode) JsonDiff.asJson(original, fixed, ADD_AND_REPLACE_ONLY);
    }

    private static void set(ObjectNode root, JsonPointer pointer, JsonNode value) {
        JsonNode parent = root.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.set(last, value.deepCopy());
        } else if (parent instanceof ArrayNode array && pointer.last().getMatchingIndex() >= 0) {
            int index = pointer.last().getMatchingIndex();
            if (index < array.size()) {
                array.set(index, value.deepCopy());
            } else {
                array.add(value.deepCopy());
            }
        } else {
            throw new IllegalStateException("fix points at " + pointer + ", whose parent is not in the object");
        }
    }
}
