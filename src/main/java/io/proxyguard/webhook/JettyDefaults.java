package io.proxyguard.webhook;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.time.Duration;

/**
 * What both of the webhook's Javalin servers share: no banner, and a graceful stop: on stop the
 * connectors stop accepting, requests in flight get up to {@code shutdownTimeout} to finish.
 */
final class JettyDefaults {

    private JettyDefaults() {
    }

    static void apply(JavalinConfig config, Duration shutdownTimeout) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(shutdownTimeout.toMillis());
            server.insertHandler(new GracefulHandler());
        });
    }
}
