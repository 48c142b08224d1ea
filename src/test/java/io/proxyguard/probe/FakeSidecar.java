package io.proxyguard.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for an Envoy sidecar whose outbound listener treats the proxy port as HTTP: it reads the
 * CONNECT request head and answers with a fixed HTTP response, as Envoy's router does when it has no
 * route ({@code 404 NR route_not_found} in its access log).
 */
final class FakeSidecar {

    /** Envoy's local reply to a CONNECT it has no route for. */
    static final String ENVOY_404 = "HTTP/1.1 404 Not Found\r\n"
            + "date: Sun, 22 Nov 2026 10:00:00 GMT\r\n"
            + "server: envoy\r\n"
            + "content-length: 0\r\n"
            + "\r\n";

    private FakeSidecar() {
    }

    /** A server that answers every CONNECT with {@code response}, and remembers the last request head. */
    static LoopbackServer answering(String response, StringBuilder lastRequest) throws IOException {
        return LoopbackServer.start((Socket connection) -> {
            String head = readHead(connection.getInputStream());
            synchronized (lastRequest) {
                lastRequest.setLength(0);
                lastRequest.append(head);
            }
            connection.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
            connection.getOutputStream().flush();
        });
    }

    /** The request line and headers, up to and including the blank line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
