package io.proxyguard.webhook;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.proxyguard.tls.TlsMaterialException;

import java.util.Map;

/**
 * The HTTPS server of the admission webhook: {@code POST /mutate} and {@code POST /validate} on one TLS
 * port (HTTP/2 and HTTP/1.1). Any other method on those paths gets 405 from the endpoint itself, and any
 * other path a 404, both as a Kubernetes {@code Status}. In front of the routes: the {@link ConnectionDrain}
 * (moves clients off the port on SIGTERM) and the {@link AdmissionQueue} (beyond {@code --max-concurrent-reviews},
 * requests wait as long as they can still be answered in time); TLS follows {@link TlsPolicy}. Public so the
 * benchmark's baseline server ({@code bench/}) runs on exactly this stack with handlers that skip parsing and rules.
 *
 * @param javalin the server, not yet started
 * @param queue   the admission queue in front of the routes
 * @param drain   what {@code drain} starts on SIGTERM
 */
public record WebhookApp(Javalin javalin, AdmissionQueue queue, ConnectionDrain drain) {

    /**
     * @param webhooks handler per path name ({@code mutate}, {@code validate}); each gets every HTTP method
     *                 and answers 405 itself to anything but POST
     * @throws TlsMaterialException when the {@code --client-ca} file does not load
     */
    public static WebhookApp create(Map<String, ? extends Handler> webhooks, ServingCertificate certificate, AdmissionJson json,
                                    ServeSettings settings, WebhookMetrics metrics) throws TlsMaterialException {
        TlsPolicy tls = TlsPolicy.of(settings.clientCa());
        AdmissionQueue queue = new AdmissionQueue(settings.maxConcurrentReviews(), json, metrics, webhooks.keySet());
        ConnectionDrain drain = new ConnectionDrain();
        metrics.waitingFrom(queue::waiting);
        Javalin javalin = Javalin.create(config -> {
            JettyDefaults.apply(config, settings.shutdownTimeout());
            config.http.maxRequestSize = AdmissionEndpoint.MAX_BODY_BYTES;
            // Outermost first: the drain sees every request, refused ones too; then the queue, then the routes.
            config.jetty.modifyServer(server -> {
                server.insertHandler(queue);
                server.insertHandler(drain);
            });
            config.jetty.addConnector((server, http) -> HttpsConnector.create(server, http, certificate.sslContextFactory(),
                    tls, settings.bindAddress(), settings.port(), settings.idleTimeout()));
            webhooks.forEach((webhook, handler) -> {
                for (HandlerType method : HandlerType.values()) {
                    if (method.isHttpMethod()) {
                        config.routes.addHttpHandler(method, "/" + webhook, handler);
                    }
                }
            });
            config.routes.error(404, ctx -> ctx.contentType(AdmissionEndpoint.JSON)
                    .result(json.status(404, HttpReasons.of(404), "no webhook at " + ctx.path() + ": use /mutate or /validate")));
        });
        return new WebhookApp(javalin, queue, drain);
    }
}
