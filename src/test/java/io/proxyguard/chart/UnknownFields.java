package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields that fabric8's typed model did not recognise in a rendered object. fabric8 keeps such
 * fields in {@code additionalProperties} instead of failing, so a typo in a template
 * ({@code readOnlyRootFileSystem}) would otherwise parse, apply, and silently do nothing. This is the
 * offline stand-in for the API server's strict field validation.
 */
final class UnknownFields {

    private final List<String> found = new ArrayList<>();

    private UnknownFields() {
    }

    /** JSON-ish paths of every unrecognised field, such as {@code spec.template.spec.containers[0].securityContex}. */
    static List<String> in(Object object) {
        UnknownFields scan = new UnknownFields();
        if (!(object instanceof GenericKubernetesResource)) {
            scan.walk(object, "");
        }
        return scan.found;
    }

    private void walk(Object value, String path) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "[" + key + "]"));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue = read(field, value);
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(key -> found.add(join(path, String.valueOf(key))));
                    }
                } else {
                    walk(fieldValue, join(path, field.getName()));
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + field + " of " + owner.getClass().getName(), e);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
