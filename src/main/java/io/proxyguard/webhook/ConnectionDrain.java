package io.proxyguard.webhook;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.SessionContainer;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves clients off the webhook port before it closes, while every request that arrives is still answered
 * normally. From {@link #start} on: each HTTP/1.1 answer carries {@code Connection: close}, so the client's next
 * request opens a new connection (which the load balancer or the Service no longer sends here), and every
 * HTTP/2 connection gets a GOAWAY whose last stream id is 2^31-1 (RFC 9113 §6.8, the graceful first GOAWAY): the
 * client opens no new stream on it, and every stream it already sent is still served. Connections that have
 * served a request get it at once, the others (and those made later) with their first request.
 *
 * <p>The final GOAWAY with the real last stream id comes only when the server stops, after the drain. Jetty's
 * own graceful shutdown sends both at once when a connection has no stream open, so a request the client sent
 * before reading the first one would be refused unprocessed; sent seconds earlier, the first GOAWAY leaves no
 * such race. Nothing here answers 503: the server answers every request it received until the port closes.
 */
final class ConnectionDrain extends Handler.Wrapper {

    private static final byte[] REASON = "proxyguard is draining".getBytes(StandardCharsets.US_ASCII);

    private final Set<Session> sentGoAway = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /** Starts draining: every HTTP/2 connection of {@code connector} gets its GOAWAY now, later ones with their first request. */
    void start(Connector connector) {
        draining = true;
        HTTP2ServerConnectionFactory http2 = connector.getConnectionFactory(HTTP2ServerConnectionFactory.class);
        SessionContainer sessions = http2 == null ? null : http2.getBean(SessionContainer.class);
        if (sessions != null) {
            // Only sessions that have served a stream: a newer one may not have sent its SETTINGS yet, and a GOAWAY
            // must not come first (RFC 9113 §3.4). It gets its GOAWAY with its first request.
            sessions.getSessions().stream()
                    .filter(session -> session instanceof HTTP2Session served && served.getStreamsOpened() > 0)
                    .forEach(this::goAway);
        }
    }

    boolean isDraining() {
        return draining;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (draining) {
            Connection connection = request.getConnectionMetaData().getConnection();
            if (connection instanceof HTTP2Connection http2) {
                goAway(http2.getSession());
            } else {
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
        }
        return super.handle(request, response, callback);
    }

    private void goAway(Session session) {
        if (session instanceof HTTP2Session http2 && sentGoAway.add(session)) {
            // Sent as a plain frame: Session.goAway() and shutdown() would follow it with the final GOAWAY at once.
            http2.frames(null, List.of(new GoAwayFrame(Integer.MAX_VALUE, ErrorCode.NO_ERROR.code, REASON)), Callback.NOOP);
        }
    }
}
