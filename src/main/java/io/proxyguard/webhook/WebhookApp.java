package io.proxyguard.webhook;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;

import java.util.List;

/**
 * The HTTPS server of the admission webhook: {@code POST /mutate} and {@code POST /validate} on one TLS
 * port (HTTP/2 and HTTP/1.1). Any other method on those paths gets 405 from the endpoint itself, and any
 * other path a 404, both as a Kubernetes {@code Status}.
 */
final class WebhookApp {

    private WebhookApp() {
    }

    static Javalin create(List<AdmissionEndpoint> endpoints, ServingCertificate certificate, AdmissionJson json, ServeSettings settings) {
        return Javalin.create(config -> {
            JettyDefaults.apply(config, settings.shutdownTimeout());
            config.http.maxRequestSize = AdmissionEndpoint.MAX_BODY_BYTES;
            config.jetty.addConnector((server, http) -> HttpsConnector.create(server, http,
                    certificate.sslContextFactory(), settings.bindAddress(), settings.port()));
            for (AdmissionEndpoint endpoint : endpoints) {
                for (HandlerType method : HandlerType.values()) {
                    if (method.isHttpMethod()) {
                        config.routes.addHttpHandler(method, "/" + endpoint.webhook(), endpoint);
                    }
                }
            }
            config.routes.error(404, ctx -> ctx.contentType(AdmissionEndpoint.JSON)
                    .result(json.status(404, HttpReasons.of(404), "no webhook at " + ctx.path() + ": use /mutate or /validate")));
        });
    }
}
