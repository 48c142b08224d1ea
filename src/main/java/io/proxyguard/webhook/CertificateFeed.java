package io.proxyguard.webhook;

import io.proxyguard.tls.CertificateAndKey;

import java.util.function.Consumer;

/**
 * Serving certificates handed to the webhook in memory instead of read from files: in self-managed mode
 * they come from a Kubernetes Secret that every replica watches. The webhook subscribes once it listens and
 * puts each pair into service as it arrives; until the first one, it is not ready.
 */
@FunctionalInterface
public interface CertificateFeed {

    /** Starts handing every new serving certificate to {@code sink}, the one already known (if any) first. */
    void subscribe(Consumer<CertificateAndKey> sink);

    /** Where the certificates come from, for the log. */
    default String origin() {
        return "the certificate feed";
    }
}
