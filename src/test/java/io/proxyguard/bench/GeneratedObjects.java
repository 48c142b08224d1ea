package io.proxyguard.bench;

import java.util.Locale;

/**
 * Objects as the API server sends them, as JSON text, each with its own name, uid, resourceVersion and one of
 * {@value #NAMESPACES} namespaces, with managedFields and the last-applied annotation as {@code kubectl apply}
 * leaves them: the input of the cluster view's memory figures ({@link ClusterViewMemoryBenchmark}) and of the
 * large cluster the process check serves ({@link PagingApiServer}).
 */
final class GeneratedObjects {

    static final int NAMESPACES = 500;

    /** A Grafana dashboard's worth of JSON text: 500 KB. */
    static final int LARGE_VALUE = 500 * 1024;

    private GeneratedObjects() {
    }

    /** The metadata the API server sends with every object: uid, resourceVersion, managedFields, last-applied. */
    private static String metadata(String name, int i, String labels, String annotations) {
        return String.format(Locale.ROOT, """
                {"name":"%s","namespace":"ns-%d","uid":"6f1d2c4e-8a53-4c1b-9f0e-%012d","resourceVersion":"%d","generation":1,\
                "creationTimestamp":"2026-10-01T00:00:00Z","labels":{%s},\
                "annotations":{%s"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"v1\\",\\"metadata\\":{\\"name\\":\\"%s\\"}}"},\
                "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"v1","time":"2026-10-01T00:00:00Z",\
                "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}},\
                "f:labels":{".":{},"f:app":{},"f:team":{}}},"f:spec":{".":{},"f:ports":{}}}}]}""",
                name, i % NAMESPACES, i, 48211 + i, labels, annotations, name);
    }

    /** An external API as a DNS ServiceEntry with two ports, as a platform team applies them. */
    static String serviceEntry(int i) {
        return String.format(Locale.ROOT, """
                {"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry","metadata":%s,\
                "spec":{"hosts":["api-%d.partner.example.com"],"location":"MESH_EXTERNAL","resolution":"DNS",\
                "ports":[{"number":443,"name":"tls","protocol":"TLS"},{"number":80,"name":"http","protocol":"HTTP"}],"exportTo":["."]}}""",
                metadata("api-" + i, i, "\"app\":\"partner\",\"team\":\"payments\"", ""), i);
    }

    /** A ClusterIP Service with two ports, a selector and its status. */
    static String service(int i) {
        return String.format(Locale.ROOT, """
                {"apiVersion":"v1","kind":"Service","metadata":%s,\
                "spec":{"type":"ClusterIP","clusterIP":"10.96.%d.%d","clusterIPs":["10.96.%d.%d"],"ipFamilies":["IPv4"],\
                "ipFamilyPolicy":"SingleStack","sessionAffinity":"None","internalTrafficPolicy":"Cluster","selector":{"app":"svc-%d"},\
                "ports":[{"name":"http","port":8080,"targetPort":8080,"protocol":"TCP","appProtocol":"http"},\
                {"name":"grpc-metrics","port":9090,"targetPort":"metrics","protocol":"TCP"}]},\
                "status":{"loadBalancer":{}}}""",
                metadata("svc-" + i, i, "\"app\":\"svc-" + i + "\",\"team\":\"shop\"", "\"prometheus.io/scrape\":\"true\","),
                i / 256 % 256, i % 256, i / 256 % 256, i % 256, i);
    }

    /**
     * ConfigMap {@code i} of {@code count}, of which {@code large} (spread evenly) are Grafana dashboards of 500 KB;
     * the others an application's settings (2 KB), one in ten with proxy variables.
     */
    static String configMap(int i, int count, int large) {
        boolean isLarge = large > 0 && i % (count / large) == 0 && i / (count / large) < large;
        String data = isLarge
                ? "\"dashboard.json\":\"" + "{\\\"title\\\":\\\"requests\\\"},".repeat(LARGE_VALUE / 24) + "\""
                : "\"application.yaml\":\"" + "server.port: 8080\\n".repeat(100) + "\",\"LOG_LEVEL\":\"info\""
                + (i % 10 == 0 ? ",\"HTTPS_PROXY\":\"http://10.10.0.5:3128\",\"NO_PROXY\":\".svc,.cluster.local\"" : "");
        return String.format(Locale.ROOT, """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":%s,"data":{%s}}""",
                metadata("settings-" + i, i, "\"app\":\"svc-" + i + "\",\"team\":\"shop\"", ""), data);
    }
}
