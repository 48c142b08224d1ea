package io.proxyguard.audit;

import io.proxyguard.audit.PolicyReport.Result;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The results the last audit left in the cluster, handed back in place of an equal fresh one (equal but for the
 * timestamp, which then stays the one written: since when it has been true). In a cluster where little changes
 * between audits, the results an audit keeps until it writes are then the previous run's objects, long since
 * tenured, and not ten thousand new ones that every young collection during the audit would copy and finally
 * promote. Used by one audit at a time.
 */
final class ResultInterner implements UnaryOperator<Result> {

    private Map<Result, Result> inCluster = Map.of();

    @Override
    public Result apply(Result fresh) {
        Result written = inCluster.get(fresh.at(null));
        return written != null ? written : fresh;
    }

    /** The reports as the cluster now holds them: their results are handed back until the next call. */
    void remember(Iterable<PolicyReport> reports) {
        Map<Result, Result> next = new HashMap<>();
        reports.forEach(report -> report.results().forEach(result -> next.putIfAbsent(result.at(null), result)));
        inCluster = next;
    }

    /** What the cluster holds is unknown (a run failed, another replica leads): nothing is handed back. */
    void forget() {
        inCluster = Map.of();
    }
}
