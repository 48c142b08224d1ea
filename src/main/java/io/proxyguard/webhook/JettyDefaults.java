package io.proxyguard.webhook;

import io.javalin.config.JavalinConfig;

import java.time.Duration;

/**
 * What both of the webhook's Javalin servers share: no banner, and a graceful stop: on stop the connectors
 * stop accepting, and requests on connections still open get up to {@code shutdownTimeout} to be answered.
 * No Jetty {@code GracefulHandler} on the webhook port: it answers 503 to a request that arrives once the stop
 * has begun, and a review that was fully received must be answered (the health port keeps one, see {@link HealthApp}).
 */
final class JettyDefaults {

    private JettyDefaults() {
    }

    static void apply(JavalinConfig config, Duration shutdownTimeout) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.modifyServer(server -> server.setStopTimeout(shutdownTimeout.toMillis()));
    }
}
