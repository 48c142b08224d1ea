package io.proxyguard.audit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Brings the cluster's PolicyReports in line with an audit's: creates the missing ones, updates in place the ones
 * whose results changed (at the resourceVersion read, so a concurrent writer makes it fail rather than be
 * overwritten; the next run catches up), leaves the unchanged ones alone, and empties its own reports of namespaces
 * that no longer hold anything to judge (a namespace deleted takes its reports with it; no delete right is needed). It reads and writes only reports labelled
 * {@code app.kubernetes.io/managed-by: proxyguard} with a name of its own: another tool's reports are never touched.
 * When the cluster serves no PolicyReport (the CRDs are not installed) it says so once and writes nothing.
 */
public final class PolicyReportWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReportWriter.class);

    public static final ResourceDefinitionContext POLICY_REPORTS = new ResourceDefinitionContext.Builder()
            .withGroup("wgpolicyk8s.io").withVersion("v1alpha2").withKind(PolicyReport.KIND).withPlural("policyreports")
            .withNamespaced(true).build();

    /** What one write did; {@code errors} counts the reports that could not be written (they are retried next time). */
    public record Outcome(boolean crdsServed, int created, int updated, int unchanged, int emptied, int errors) {
    }

    /** Reports a list page asks for (each holds up to {@value PolicyReports#MAX_RESULTS} results; they are read one at a time). */
    static final long REPORTS_PAGE = 100;

    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    private boolean saidCrdsAbsent;

    public PolicyReportWriter(KubernetesClient client) {
        this.client = client;
        this.serialization = client.getKubernetesSerialization();
    }

    /**
     * Writes {@code desired} as the class says, handing {@code inCluster} each desired report as the cluster now holds
     * it (timestamps kept); a report that could not be written is not handed on.
     */
    public synchronized Outcome write(List<PolicyReport> desired, Consumer<PolicyReport> inCluster) {
        ResultDigest digests = new ResultDigest();
        Optional<Map<String, ExistingReport>> read = existing(digests);
        if (read.isEmpty()) {
            if (!saidCrdsAbsent) {
                LOG.warn("the cluster serves no {}/policyreports: the audit's findings are in its metrics only (install the "
                        + "PolicyReport CRDs, e.g. with the chart's audit.policyReports.installCrds, to get reports)", PolicyReport.API_VERSION);
                saidCrdsAbsent = true;
            }
            return new Outcome(false, 0, 0, 0, 0, 0);
        }
        if (saidCrdsAbsent) {
            LOG.info("the cluster now serves {}/policyreports: writing the audit's reports", PolicyReport.API_VERSION);
            saidCrdsAbsent = false;
        }
        Map<String, ExistingReport> existing = read.get();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int emptied = 0;
        int errors = 0;
        for (PolicyReport report : desired) {
            ExistingReport current = existing.remove(key(report.namespace(), report.name()));
            try {
                if (current == null) {
                    reports().inNamespace(report.namespace()).resource(report.toResource(serialization)).create();
                    created++;
                    inCluster.accept(report);
                    continue;
                }
                ResultDigest.Digested digested = current.keepingTimestamps(report, digests);
                PolicyReport next = digested.report();
                if (current.sameContentAs(digested)) {
                    unchanged++;
                    inCluster.accept(next);
                    continue;
                }
                next.metadata().setResourceVersion(current.resourceVersion());
                reports().inNamespace(report.namespace()).resource(next.toResource(serialization)).update();
                updated++;
                inCluster.accept(next);
            } catch (KubernetesClientException e) {
                LOG.warn("cannot write PolicyReport {}/{} (retried at the next audit): {}", report.namespace(), report.name(), e.getMessage());
                errors++;
            }
        }
        for (ExistingReport stale : existing.values()) {
            // Emptied rather than deleted: the service account needs no delete right, and a deleted namespace takes its reports along.
            PolicyReport empty = PolicyReport.of(stale.metadata(), List.of());
            if (stale.sameContentAs(digests.digested(empty))) {
                unchanged++;
                continue;
            }
            try {
                reports().inNamespace(empty.namespace()).resource(empty.toResource(serialization)).update();
                emptied++;
            } catch (KubernetesClientException e) {
                LOG.warn("cannot empty PolicyReport {}/{} (retried at the next audit): {}", empty.namespace(), empty.name(), e.getMessage());
                errors++;
            }
        }
        return new Outcome(true, created, updated, unchanged, emptied, errors);
    }

    /**
     * Our reports in every namespace by namespace/name, kept as {@link ExistingReport}s, each read from the list as
     * it streams in ({@link PolicyReportStream}); empty when the cluster serves no PolicyReport.
     */
    private Optional<Map<String, ExistingReport>> existing(ResultDigest digests) {
        Map<String, ExistingReport> reports = new HashMap<>();
        try {
            new PolicyReportStream(client, PolicyReports.MANAGED_BY + "=" + PolicyReports.SOURCE, REPORTS_PAGE).forEach(report -> {
                if (PolicyReports.isOurName(report.name())) {
                    reports.put(key(report.namespace(), report.name()), ExistingReport.of(report, digests));
                }
            });
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(reports);
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> reports() {
        return client.genericKubernetesResources(POLICY_REPORTS);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
