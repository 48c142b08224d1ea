package io.proxyguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The fields of a small JSON object of a trimmed tree, in their order, held in two arrays: what an {@code ObjectNode}
 * of the cluster view uses instead of Jackson's LinkedHashMap, which costs a map, a 16-slot table and a 40-byte
 * entry per field (about 200 bytes for two fields, against about 60 here). Lookups scan the keys, so it is only
 * used for objects of at most {@link #MAX_FIELDS} fields. Read-only: the view never changes the objects it keeps.
 */
final class FrozenFields extends AbstractMap<String, JsonNode> {

    static final int MAX_FIELDS = 8;

    private final String[] keys;
    private final JsonNode[] values;

    FrozenFields(Map<String, JsonNode> fields) {
        if (fields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException(fields.size() + " fields, more than " + MAX_FIELDS);
        }
        keys = new String[fields.size()];
        values = new JsonNode[fields.size()];
        int i = 0;
        for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
            keys[i] = field.getKey();
            values[i] = field.getValue();
            i++;
        }
    }

    @Override
    public JsonNode get(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, JsonNode>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, JsonNode> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, JsonNode> entry = new SimpleImmutableEntry<>(keys[next], values[next]);
                        next++;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
