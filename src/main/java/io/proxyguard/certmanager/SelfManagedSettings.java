package io.proxyguard.certmanager;

import io.proxyguard.leader.ElectionTimings;
import io.proxyguard.tls.HostNames;

import java.time.Duration;
import java.util.Optional;

/**
 * Everything the self-managed certificate manager is told, as the chart passes it.
 *
 * @param namespace          the release namespace: the Secret's, the Lease's and the Service's
 * @param secretName         the Secret that holds the CA and the serving certificate
 * @param serviceName        the Service the API server calls; the serving certificate carries its DNS names
 * @param mutatingWebhook    the MutatingWebhookConfiguration whose caBundle is kept, if any
 * @param validatingWebhook  the ValidatingWebhookConfiguration whose caBundle is kept, if any
 * @param leaseName          the Lease the replicas elect their leader with
 * @param ownerDeployment    the Deployment that owns the Secret and the Lease, so that deleting it deletes them
 * @param identity           this replica's name in the Lease
 * @param renewal            when certificates are renewed
 * @param election           leader election timings
 * @param checkInterval      how often the leader checks the Secret and the webhooks (it also acts at once on a deleted Secret)
 */
public record SelfManagedSettings(
        String namespace,
        String secretName,
        String serviceName,
        Optional<String> mutatingWebhook,
        Optional<String> validatingWebhook,
        String leaseName,
        Optional<String> ownerDeployment,
        String identity,
        RenewalPolicy renewal,
        ElectionTimings election,
        Duration checkInterval) {

    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);

    public SelfManagedSettings {
        requireName(namespace, "namespace");
        requireName(secretName, "--cert-secret");
        requireName(serviceName, "--service");
        requireName(leaseName, "--leader-lease");
        mutatingWebhook.ifPresent(name -> requireName(name, "--mutating-webhook-config"));
        validatingWebhook.ifPresent(name -> requireName(name, "--validating-webhook-config"));
        ownerDeployment.ifPresent(name -> requireName(name, "--owner-deployment"));
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("the replica's identity must not be empty");
        }
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("the check interval must be positive");
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " is required in self-managed certificate mode");
        }
        if (!HostNames.isDnsName(name) || !name.equals(name.toLowerCase(java.util.Locale.ROOT)) || name.startsWith("*")) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not a Kubernetes object name");
        }
    }
}
