package io.proxyguard.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.List;
import java.util.Map;

/**
 * A {@code wgpolicyk8s.io/v1alpha2} PolicyReport as the CRD defines it (the shape Kyverno, Policy Reporter and
 * {@code kubectl get polr} read): the results and a summary that counts them. Only the fields ProxyGuard writes;
 * a report read back keeps its metadata (the resourceVersion an update needs) and ignores what it does not know.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "results", "summary"})
public record PolicyReport(String apiVersion, String kind, ObjectMeta metadata, List<Result> results, Summary summary) {

    public static final String API_VERSION = "wgpolicyk8s.io/v1alpha2";
    public static final String KIND = "PolicyReport";

    public PolicyReport {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** A report of {@code results}, with the summary that counts them. */
    public static PolicyReport of(ObjectMeta metadata, List<Result> results) {
        return new PolicyReport(API_VERSION, KIND, metadata, results, Summary.of(results));
    }

    public String namespace() {
        return metadata.getNamespace();
    }

    public String name() {
        return metadata.getName();
    }

    public GenericKubernetesResource toResource(KubernetesSerialization serialization) {
        return serialization.convertValue(this, GenericKubernetesResource.class);
    }


    /**
     * One result. {@code policy} and {@code rule} are the rule ID; {@code resources} names the object;
     * {@code properties} holds the field path.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"source", "policy", "rule", "result", "severity", "scored", "category", "message", "resources", "properties", "timestamp"})
    public record Result(String source, String policy, String rule, String result, String severity, Boolean scored, String category,
                         String message, List<ObjectReference> resources, Map<String, String> properties, Timestamp timestamp) {

        /** Absent lists and maps are empty, so that a result read back equals the one written. */
        public Result {
            resources = resources == null ? List.of() : List.copyOf(resources);
            properties = properties == null ? Map.of() : Map.copyOf(properties);
        }

        /** The same result seen at another time. */
        public Result at(Timestamp time) {
            return new Result(source, policy, rule, result, severity, scored, category, message, resources, properties, time);
        }
    }

    /** The object a result is about (the fields of a Kubernetes ObjectReference that the CRD keeps). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"apiVersion", "kind", "namespace", "name", "uid"})
    public record ObjectReference(String apiVersion, String kind, String namespace, String name, String uid) {

        /** Empty fields are absent (they are not written), so that a reference read back equals the one written. */
        public ObjectReference {
            apiVersion = absentIfEmpty(apiVersion);
            kind = absentIfEmpty(kind);
            namespace = absentIfEmpty(namespace);
            name = absentIfEmpty(name);
            uid = absentIfEmpty(uid);
        }

        private static String absentIfEmpty(String value) {
            return value == null || value.isEmpty() ? null : value;
        }
    }

    /** A protobuf Timestamp, as the CRD wants it: {@code {seconds, nanos}}. */
    public record Timestamp(long seconds, int nanos) {
    }

    /** How many results there are of each kind: what {@code kubectl get polr} shows in its columns. */
    @JsonPropertyOrder({"pass", "fail", "warn", "error", "skip"})
    public record Summary(int pass, int fail, int warn, int error, int skip) {

        static Summary of(List<Result> results) {
            return new Summary(count(results, "pass"), count(results, "fail"), count(results, "warn"), count(results, "error"),
                    count(results, "skip"));
        }

        private static int count(List<Result> results, String result) {
            return (int) results.stream().filter(r -> result.equals(r.result())).count();
        }
    }
}
