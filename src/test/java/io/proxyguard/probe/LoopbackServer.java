package io.proxyguard.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small server on 127.0.0.1 and an ephemeral port, with one behaviour per accepted connection: a TLS
 * "external service", a silent peer, or a fake sidecar. Connections are handled on daemon threads; close()
 * stops accepting and ends them.
 */
final class LoopbackServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    @FunctionalInterface
    interface Behaviour {
        void handle(Socket connection) throws IOException;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "loopback-server");
        thread.setDaemon(true);
        return thread;
    });

    private LoopbackServer(ServerSocket server, Behaviour behaviour) {
        this.server = server;
        threads.execute(() -> acceptLoop(behaviour));
    }

    static LoopbackServer start(Behaviour behaviour) throws IOException {
        return new LoopbackServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), behaviour);
    }

    /** A TLS server presenting {@code certificate}: it completes the handshake, then waits for the client to leave. */
    static LoopbackServer tls(TestPki.Issued certificate) throws IOException {
        ServerSocket server = certificate.serverContext().getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new LoopbackServer(server, connection -> {
            ((javax.net.ssl.SSLSocket) connection).startHandshake();
            drain(connection);
        });
    }

    /** Accepts and never says a word: for timeouts. */
    static LoopbackServer silent() throws IOException {
        return start(LoopbackServer::drain);
    }

    int port() {
        return server.getLocalPort();
    }

    HostPort address() {
        return new HostPort("127.0.0.1", port());
    }

    private void acceptLoop(Behaviour behaviour) {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                threads.execute(() -> {
                    try (connection) {
                        connection.setSoTimeout(30_000);
                        behaviour.handle(connection);
                    } catch (IOException e) {
                        // a client that left, or a handshake the client refused: both are what tests provoke
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads until the client closes (or the read times out). */
    static void drain(Socket connection) throws IOException {
        byte[] buffer = new byte[1024];
        while (connection.getInputStream().read(buffer) >= 0) {
            // discard
        }
    }

    /** A port on which nothing listens (it was free a moment ago). */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
