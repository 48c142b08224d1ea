package io.proxyguard.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;

/**
 * The resources ProxyGuard reads from a cluster, named explicitly (group, version, plural) so no discovery
 * call is needed. The chart's RBAC grants get/list/watch on exactly these.
 */
public enum WatchedResource {
    SERVICE_ENTRY_V1("networking.istio.io", "v1", "ServiceEntry", "serviceentries", true),
    SERVICE_ENTRY_V1BETA1("networking.istio.io", "v1beta1", "ServiceEntry", "serviceentries", true),
    SERVICE_ENTRY_V1ALPHA3("networking.istio.io", "v1alpha3", "ServiceEntry", "serviceentries", true),
    SIDECAR_V1("networking.istio.io", "v1", "Sidecar", "sidecars", true),
    SIDECAR_V1BETA1("networking.istio.io", "v1beta1", "Sidecar", "sidecars", true),
    SIDECAR_V1ALPHA3("networking.istio.io", "v1alpha3", "Sidecar", "sidecars", true),
    SERVICE("", "v1", "Service", "services", true),
    CONFIG_MAP("", "v1", "ConfigMap", "configmaps", true),
    NAMESPACE("", "v1", "Namespace", "namespaces", false),
    POD("", "v1", "Pod", "pods", true),
    DEPLOYMENT("apps", "v1", "Deployment", "deployments", true),
    STATEFUL_SET("apps", "v1", "StatefulSet", "statefulsets", true),
    DAEMON_SET("apps", "v1", "DaemonSet", "daemonsets", true),
    REPLICA_SET("apps", "v1", "ReplicaSet", "replicasets", true),
    JOB("batch", "v1", "Job", "jobs", true),
    CRON_JOB("batch", "v1", "CronJob", "cronjobs", true);

    /** ServiceEntry versions in the order of preference: the first one the server serves is used. */
    public static final List<WatchedResource> SERVICE_ENTRY_VERSIONS = List.of(SERVICE_ENTRY_V1, SERVICE_ENTRY_V1BETA1, SERVICE_ENTRY_V1ALPHA3);

    /** Sidecar versions in the order of preference; a cluster may serve none (no Sidecar CRD). */
    public static final List<WatchedResource> SIDECAR_VERSIONS = List.of(SIDECAR_V1, SIDECAR_V1BETA1, SIDECAR_V1ALPHA3);

    /** Namespaced objects the rules read beside ServiceEntries and workloads: ports, exportTo, proxy settings, mesh config. */
    public static final List<WatchedResource> VIEW_SUPPORT = List.of(SERVICE, CONFIG_MAP);

    /** Workload kinds: judged by the audit; in the webhook's view, what makes an entry a proxy entry and who sees it. */
    public static final List<WatchedResource> WORKLOADS = List.of(POD, DEPLOYMENT, STATEFUL_SET, DAEMON_SET, REPLICA_SET, JOB, CRON_JOB);

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final boolean namespaced;

    WatchedResource(String group, String version, String kind, String plural, boolean namespaced) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.namespaced = namespaced;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    /** The resource name RBAC rules use: {@code serviceentries}, {@code pods}. */
    public String plural() {
        return plural;
    }

    public boolean namespaced() {
        return namespaced;
    }
}
