package io.proxyguard.webhook;

import io.javalin.Javalin;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The plain-HTTP side port, kept apart from the webhook's TLS port (as cert-manager does) so probes and
 * scrapers need no certificate: {@code GET /healthz} (the process answers), {@code GET /readyz}
 * (see {@link Readiness}) and {@code GET /metrics} in Prometheus text format. Once its stop has begun it
 * answers 503 (Jetty's {@code GracefulHandler}): a probe then rightly sees a server going away.
 */
final class HealthApp {

    private HealthApp() {
    }

    static Javalin create(Readiness readiness, PrometheusRegistry registry, ServeSettings settings) {
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        return Javalin.create(config -> {
            JettyDefaults.apply(config, settings.shutdownTimeout());
            config.jetty.modifyServer(server -> server.insertHandler(new GracefulHandler()));
            config.jetty.host = settings.bindAddress();
            config.jetty.port = settings.metricsPort();
            config.routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok\n"));
            config.routes.get("/readyz", ctx -> ctx.status(readiness.isReady() ? 200 : 503)
                    .contentType("text/plain").result(readiness.report()));
            config.routes.get("/metrics", ctx -> ctx.contentType(writer.getContentType()).result(scrape(writer, registry)));
        });
    }

    private static byte[] scrape(PrometheusTextFormatWriter writer, PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }
}
