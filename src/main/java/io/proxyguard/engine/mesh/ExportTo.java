package io.proxyguard.engine.mesh;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A ServiceEntry's {@code exportTo}, or a Service's {@code networking.istio.io/exportTo} annotation: {@code .}
 * (the object's own namespace), {@code *} (every namespace), {@code ~} (none) or namespace names. An empty list
 * means meshConfig {@code defaultServiceExportTo}; callers resolve that with {@link #orElse}.
 */
public record ExportTo(Set<String> values) {

    public static final String ANNOTATION = "networking.istio.io/exportTo";

    /** Istio's default for {@code defaultServiceExportTo}. */
    public static final ExportTo EVERYWHERE = new ExportTo(Set.of("*"));

    public ExportTo {
        values = Set.copyOf(values);
    }

    /** No exportTo: the mesh's default applies. */
    private static final ExportTo UNSET = new ExportTo(Set.of());

    /** The list as written, blanks dropped. */
    public static ExportTo of(List<String> values) {
        if (values == null || values.isEmpty()) {
            return UNSET;
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                kept.add(value.trim());
            }
        }
        return new ExportTo(kept);
    }

    /**
     * A comma-separated annotation value, read as istiod reads it (pilot/pkg/serviceregistry/kube/conversion.go): an
     * empty value is no annotation; otherwise every item counts, trimmed, so a blank one ({@code " "}, {@code "a,"})
     * is a namespace named "" that nobody is in.
     */
    public static ExportTo ofAnnotation(String value) {
        if (value == null || value.isEmpty()) {
            return UNSET;
        }
        return new ExportTo(Arrays.stream(value.split(",", -1)).map(String::trim).collect(Collectors.toSet()));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** This list, or {@code fallback} when this one is empty. */
    public ExportTo orElse(ExportTo fallback) {
        return isEmpty() ? fallback : this;
    }

    /** True when an object of {@code owner} namespace is visible from namespace {@code viewer}. */
    public boolean exportsTo(String owner, String viewer) {
        return values.contains("*") || values.contains(viewer) || (values.contains(".") && owner.equals(viewer));
    }

    /** True when some namespace sees both an object of {@code owner} with this list and one of {@code otherOwner} with {@code other}. */
    public boolean overlaps(String owner, ExportTo other, String otherOwner) {
        Set<String> mine = resolved(owner);
        Set<String> theirs = other.resolved(otherOwner);
        if (mine.isEmpty() || theirs.isEmpty()) {
            return false;
        }
        return mine.contains("*") || theirs.contains("*") || mine.stream().anyMatch(theirs::contains);
    }

    private Set<String> resolved(String owner) {
        return values.stream().filter(v -> !v.equals("~")).map(v -> v.equals(".") ? owner : v).collect(Collectors.toSet());
    }

    /** {@code ["."]}, as a message shows it (sorted, so messages are stable). */
    public String display() {
        return values.stream().sorted().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
}
