package io.proxyguard.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The objects {@code helm template} rendered, parsed by fabric8 into typed models (custom resources
 * such as cert-manager's come back as {@link GenericKubernetesResource}).
 */
record RenderedChart(List<HasMetadata> objects) {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final String COMPONENT = "app.kubernetes.io/component";
    static final String WEBHOOK = "webhook";
    static final String AUDIT = "audit";

    RenderedChart {
        objects = List.copyOf(objects);
    }

    static RenderedChart parse(String multiDocumentYaml) {
        Object parsed = SERIALIZATION.unmarshal(multiDocumentYaml);
        if (parsed instanceof List<?> list) {
            return new RenderedChart(list.stream().map(HasMetadata.class::cast).toList());
        }
        if (parsed instanceof HasMetadata single) {
            return new RenderedChart(List.of(single));
        }
        throw new AssertionError("helm template rendered no Kubernetes object: " + parsed);
    }

    /** Every rendered object of this type. */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The one object of this type; fails when there are none or several. */
    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + ", rendered " + found.size()
                    + ": " + names(found));
        }
        return found.get(0);
    }

    /** The one object of this type labelled {@code app.kubernetes.io/component: component}; fails when there are none or several. */
    <T extends HasMetadata> T one(Class<T> type, String component) {
        List<T> found = all(type).stream().filter(o -> component.equals(component(o))).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + " of component " + component + ", rendered "
                    + found.size() + ": " + names(found));
        }
        return found.get(0);
    }

    /** The object of this type and name, if rendered. */
    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** The object of this type and name; fails when it was not rendered. */
    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                "no " + type.getSimpleName() + " named " + name + " rendered; rendered: " + names(all(type))));
    }

    /** Custom resources of this kind (cert-manager, Prometheus Operator). */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    /** The Deployment of the webhook pods. */
    Deployment webhookDeployment() {
        return one(Deployment.class, WEBHOOK);
    }

    /** The pod template of the webhook's Deployment. */
    PodSpec webhookPod() {
        return webhookDeployment().getSpec().getTemplate().getSpec();
    }

    /** The Deployment of the dedicated audit; fails when it was not rendered. */
    Deployment auditDeployment() {
        return one(Deployment.class, AUDIT);
    }

    /** The pod template of the dedicated audit's Deployment. */
    PodSpec auditPod() {
        return auditDeployment().getSpec().getTemplate().getSpec();
    }

    /** Both kinds of webhook configuration that were rendered. */
    List<HasMetadata> webhookConfigurations() {
        return Stream.concat(all(MutatingWebhookConfiguration.class).stream(),
                all(ValidatingWebhookConfiguration.class).stream()).map(HasMetadata.class::cast).toList();
    }

    /** The clientConfig of every webhook, mutating and validating. */
    List<WebhookClientConfig> webhookClientConfigs() {
        return Stream.concat(mutatingWebhooks().map(MutatingWebhook::getClientConfig),
                validatingWebhooks().map(ValidatingWebhook::getClientConfig)).toList();
    }

    /** The namespaceSelector of every webhook, mutating and validating. */
    List<LabelSelector> webhookNamespaceSelectors() {
        return Stream.concat(mutatingWebhooks().map(MutatingWebhook::getNamespaceSelector),
                validatingWebhooks().map(ValidatingWebhook::getNamespaceSelector)).toList();
    }

    private Stream<MutatingWebhook> mutatingWebhooks() {
        return all(MutatingWebhookConfiguration.class).stream().flatMap(c -> c.getWebhooks().stream());
    }

    private Stream<ValidatingWebhook> validatingWebhooks() {
        return all(ValidatingWebhookConfiguration.class).stream().flatMap(c -> c.getWebhooks().stream());
    }

    /** {@code Kind/name} of every rendered object, for assertion messages. */
    List<String> kindsAndNames() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    private static String component(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(COMPONENT);
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }
}
