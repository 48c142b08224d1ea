package io.proxyguard.audit;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.proxyguard.audit.PolicyReport.Result;
import io.proxyguard.audit.PolicyReport.Timestamp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the writer keeps of one of its reports read from the cluster: the metadata (the resourceVersion an update
 * needs, the labels), since when each result has been true, and a digest of its results, about a tenth of the
 * report's size. An audit of 10,000 objects then holds a megabyte or so of the reports it compares with rather
 * than every result parsed, which outlived the young generation and filled the old one while reviews were served.
 */
final class ExistingReport {

    private final ObjectMeta metadata;
    private final Map<ResultDigest.Key, Timestamp> since;
    private final byte[] digest;

    private ExistingReport(ObjectMeta metadata, Map<ResultDigest.Key, Timestamp> since, byte[] digest) {
        this.metadata = metadata;
        this.since = since;
        this.digest = digest;
    }

    static ExistingReport of(PolicyReport report, ResultDigest digests) {
        Map<ResultDigest.Key, Timestamp> since = new HashMap<>();
        ResultDigest.ReportDigest digest = digests.report();
        for (Result result : report.results()) {
            ResultDigest.Key key = digests.key(result);
            since.putIfAbsent(key, result.timestamp());
            digest.add(key, result.timestamp());
        }
        ObjectMeta metadata = new ObjectMeta();
        metadata.setNamespace(report.namespace());
        metadata.setName(report.name());
        metadata.setResourceVersion(report.metadata().getResourceVersion());
        metadata.setLabels(report.metadata().getLabels() == null ? Map.of() : Map.copyOf(report.metadata().getLabels()));
        return new ExistingReport(metadata, since, digest.finish(report.summary()));
    }

    ObjectMeta metadata() {
        return metadata;
    }

    String resourceVersion() {
        return metadata.getResourceVersion();
    }

    /**
     * {@code desired} with the timestamp of each result this report already holds (a result says since when it has
     * been true, and a report whose results did not change is not written again), digested on the way.
     */
    ResultDigest.Digested keepingTimestamps(PolicyReport desired, ResultDigest digests) {
        ResultDigest.ReportDigest digest = digests.report();
        List<Result> results = new ArrayList<>(desired.results().size());
        for (Result r : desired.results()) {
            ResultDigest.Key key = digests.key(r);
            Timestamp first = since.get(key);
            Result kept = first == null || first.equals(r.timestamp()) ? r : r.at(first);
            results.add(kept);
            digest.add(key, kept.timestamp());
        }
        PolicyReport next = PolicyReport.of(desired.metadata(), results);
        return new ResultDigest.Digested(next, digest.finish(next.summary()));
    }

    /** True when {@code report} holds the same results (timestamps included), summary and labels as this one. */
    boolean sameContentAs(ResultDigest.Digested report) {
        return report.sameDigestAs(digest) && metadata.getLabels().equals(report.report().metadata().getLabels());
    }
}
