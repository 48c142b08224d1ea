package io.proxyguard.audit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.proxyguard.cluster.ClusterReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    static final ResourceDefinitionContext POLICY_REPORTS = new ResourceDefinitionContext.Builder()
            .withGroup("wgpolicyk8s.io").withVersion("v1alpha2").withKind(PolicyReport.KIND).withPlural("policyreports")
            .withNamespaced(true).build();

    /** What one write did; {@code errors} counts the reports that could not be written (they are retried next time). */
    public record Outcome(boolean crdsServed, int created, int updated, int unchanged, int emptied, int errors) {
    }

    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    private boolean saidCrdsAbsent;

    public PolicyReportWriter(KubernetesClient client) {
        this.client = client;
        this.serialization = client.getKubernetesSerialization();
    }

    public synchronized Outcome write(List<PolicyReport> desired) {
        Optional<Map<String, PolicyReport>> read = existing();
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
        Map<String, PolicyReport> existing = new HashMap<>(read.get());
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int emptied = 0;
        int errors = 0;
        for (PolicyReport report : desired) {
            PolicyReport current = existing.remove(key(report.namespace(), report.name()));
            try {
                if (current == null) {
                    reports().inNamespace(report.namespace()).resource(report.toResource(serialization)).create();
                    created++;
                    continue;
                }
                PolicyReport next = PolicyReports.keepingTimestamps(report, current);
                if (next.sameContentAs(current)) {
                    unchanged++;
                    continue;
                }
                next.metadata().setResourceVersion(current.metadata().getResourceVersion());
                reports().inNamespace(report.namespace()).resource(next.toResource(serialization)).update();
                updated++;
            } catch (KubernetesClientException e) {
                LOG.warn("cannot write PolicyReport {}/{} (retried at the next audit): {}", report.namespace(), report.name(), e.getMessage());
                errors++;
            }
        }
        for (PolicyReport stale : existing.values()) {
            // Emptied rather than deleted: the service account needs no delete right, and a deleted namespace takes its reports along.
            PolicyReport empty = PolicyReport.of(stale.metadata(), List.of());
            if (empty.sameContentAs(stale)) {
                unchanged++;
                continue;
            }
            try {
                reports().inNamespace(stale.namespace()).resource(empty.toResource(serialization)).update();
                emptied++;
            } catch (KubernetesClientException e) {
                LOG.warn("cannot empty PolicyReport {}/{} (retried at the next audit): {}", stale.namespace(), stale.name(), e.getMessage());
                errors++;
            }
        }
        return new Outcome(true, created, updated, unchanged, emptied, errors);
    }

    /** Our reports in every namespace by namespace/name, read in pages; empty when the cluster serves no PolicyReport. */
    private Optional<Map<String, PolicyReport>> existing() {
        Map<String, PolicyReport> reports = new HashMap<>();
        try {
            ClusterReader.eachPage(reports().inAnyNamespace(), PolicyReports.MANAGED_BY + "=" + PolicyReports.SOURCE, page -> {
                for (GenericKubernetesResource item : page) {
                    if (PolicyReports.isOurName(item.getMetadata().getName())) {
                        PolicyReport report = PolicyReport.fromResource(item, serialization);
                        reports.put(key(report.namespace(), report.name()), report);
                    }
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
