package io.proxyguard.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;

/**
 * The resources ProxyGuard reads from a cluster, named explicitly (group, version, plural) so no discovery
 * call is needed. The chart's RBAC grants get/list/watch on exactly these.
 */
public enum WatchedResource {
    SERVICE_ENTRY_V1("networking.istio.io", "v1", "ServiceEntry", "serviceentries"),
    SERVICE_ENTRY_V1BETA1("networking.istio.io", "v1beta1", "ServiceEntry", "serviceentries"),
    SERVICE_ENTRY_V1ALPHA3("networking.istio.io", "v1alpha3", "ServiceEntry", "serviceentries"),
    SERVICE("", "v1", "Service", "services"),
    CONFIG_MAP("", "v1", "ConfigMap", "configmaps"),
    POD("", "v1", "Pod", "pods"),
    DEPLOYMENT("apps", "v1", "Deployment", "deployments"),
    STATEFUL_SET("apps", "v1", "StatefulSet", "statefulsets"),
    DAEMON_SET("apps", "v1", "DaemonSet", "daemonsets"),
    REPLICA_SET("apps", "v1", "ReplicaSet", "replicasets"),
    JOB("batch", "v1", "Job", "jobs"),
    CRON_JOB("batch", "v1", "CronJob", "cronjobs");

    /** ServiceEntry versions in the order of preference: the first one the server serves is used. */
    public static final List<WatchedResource> SERVICE_ENTRY_VERSIONS = List.of(SERVICE_ENTRY_V1, SERVICE_ENTRY_V1BETA1, SERVICE_ENTRY_V1ALPHA3);

    /** What the webhook keeps in its cluster view beside ServiceEntries. */
    public static final List<WatchedResource> VIEW_SUPPORT = List.of(SERVICE, CONFIG_MAP);

    /** Workload kinds the audit judges. */
    public static final List<WatchedResource> WORKLOADS = List.of(POD, DEPLOYMENT, STATEFUL_SET, DAEMON_SET, REPLICA_SET, JOB, CRON_JOB);

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;

    WatchedResource(String group, String version, String kind, String plural) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String kind() {
        return kind;
    }
}
