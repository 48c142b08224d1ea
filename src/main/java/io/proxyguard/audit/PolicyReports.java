package io.proxyguard.audit;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.proxyguard.audit.PolicyReport.ObjectReference;
import io.proxyguard.audit.PolicyReport.Result;
import io.proxyguard.audit.PolicyReport.Timestamp;
import io.proxyguard.engine.Finding;
import io.proxyguard.engine.ResourceRef;
import io.proxyguard.engine.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Turns an audit's verdicts into PolicyReports, one per namespace (the objects ProxyGuard judges are all
 * namespaced). Per namespace rather than per object: a cluster of 10,000 entries with a handful of problems then
 * costs one report per namespace, written only when a result in it changes, instead of 10,000 objects to create and
 * keep. A namespace whose results would outgrow one object is split into reports of {@value #MAX_RESULTS} results,
 * {@code proxyguard}, {@code proxyguard-2}, ..., in a stable order so that a change moves as few results as possible.
 * Pure: no client, no clock.
 *
 * <p>Results: a finding at deny is {@code fail} (severity {@code high}), at warn {@code warn} ({@code medium}), with
 * {@code policy} and {@code rule} the rule ID and the field path in {@code properties.path}; an object that passed
 * every rule is one {@code pass} result of policy {@value #SOURCE}; one that could not be read is an {@code error}.
 * Every result has {@code source: proxyguard}.
 */
public final class PolicyReports {

    public static final String SOURCE = "proxyguard";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String NAME = "proxyguard";
    static final String CATEGORY = "Istio egress proxy";
    static final int MAX_RESULTS = 1000;

    /** By object (kind, name), then rule and field path: a stable order, so a change moves few results between reports. */
    private static final Comparator<Result> ORDER = Comparator.<Result, String>comparing(r -> Objects.toString(object(r).kind(), ""))
            .thenComparing(r -> Objects.toString(object(r).name(), ""))
            .thenComparing(r -> Objects.toString(r.policy(), ""))
            .thenComparing(r -> r.properties().getOrDefault("path", ""))
            .thenComparing(r -> Objects.toString(r.message(), ""));

    private PolicyReports() {
    }

    /** The reports for {@code result}, namespaces in alphabetical order; every result stamped {@code now}. */
    public static List<PolicyReport> of(AuditResult result, Instant now) {
        Builder builder = new Builder(now);
        result.verdicts().forEach(builder);
        return builder.reports();
    }

    /** True when {@code name} is one that {@link #of} gives its reports. */
    public static boolean isOurName(String name) {
        return name.equals(NAME) || name.matches(NAME + "-[0-9]+");
    }

    /**
     * Turns each verdict it is handed into its results at once, so that an audit keeps the results it will write
     * and not the verdicts too; {@link #reports()} makes the reports of all verdicts handed so far.
     */
    public static final class Builder implements Consumer<ObjectVerdict> {

        private final Timestamp timestamp;
        private final UnaryOperator<Result> intern;
        private final Map<String, List<Result>> byNamespace = new TreeMap<>();

        /** Every result stamped {@code now}. */
        public Builder(Instant now) {
            this(now, UnaryOperator.identity());
        }

        /** Every result stamped {@code now}, or replaced by what {@code intern} gives for it. */
        Builder(Instant now, UnaryOperator<Result> intern) {
            this.timestamp = new Timestamp(now.getEpochSecond(), 0);
            this.intern = intern;
        }

        @Override
        public void accept(ObjectVerdict verdict) {
            List<Result> results = byNamespace.computeIfAbsent(verdict.ref().namespace(), ns -> new ArrayList<>());
            results(verdict, timestamp).forEach(result -> results.add(intern.apply(result)));
        }

        /** The reports, namespaces in alphabetical order. */
        public List<PolicyReport> reports() {
            List<PolicyReport> reports = new ArrayList<>();
            byNamespace.forEach((namespace, results) -> {
                results.sort(ORDER);
                for (int start = 0, part = 1; start < results.size(); start += MAX_RESULTS, part++) {
                    reports.add(PolicyReport.of(metadata(namespace, part), results.subList(start, Math.min(results.size(), start + MAX_RESULTS))));
                }
            });
            return reports;
        }
    }

    private static ObjectMeta metadata(String namespace, int part) {
        return new ObjectMetaBuilder().withName(part == 1 ? NAME : NAME + "-" + part).withNamespace(namespace)
                .withLabels(Map.of(MANAGED_BY, SOURCE)).build();
    }

    private static List<Result> results(ObjectVerdict verdict, Timestamp timestamp) {
        List<ObjectReference> resource = List.of(reference(verdict.ref(), verdict.uid()));
        if (verdict.error().isPresent()) {
            return List.of(new Result(SOURCE, SOURCE, null, "error", null, true, CATEGORY,
                    "not judged: " + verdict.error().get(), resource, Map.of(), timestamp));
        }
        if (verdict.passed()) {
            return List.of(new Result(SOURCE, SOURCE, null, "pass", null, true, CATEGORY,
                    "no ProxyGuard rule found a problem", resource, Map.of(), timestamp));
        }
        List<Result> results = new ArrayList<>();
        for (Finding finding : verdict.findings()) {
            boolean deny = finding.severity() == Severity.DENY;
            results.add(new Result(SOURCE, finding.ruleId(), finding.ruleId(), deny ? "fail" : "warn", deny ? "high" : "medium", true,
                    CATEGORY, finding.message(), resource, Map.of("path", finding.path()), timestamp));
        }
        return results;
    }

    private static ObjectReference object(Result result) {
        return result.resources().get(0);
    }

    private static ObjectReference reference(ResourceRef ref, String uid) {
        return new ObjectReference(ref.apiVersion(), ref.kind(), ref.namespace(), ref.name(), uid);
    }
}
