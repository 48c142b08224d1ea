package io.proxyguard.webhook;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** A bare HTTP/1.1-over-TLS socket to the webhook, for clients that misbehave byte by byte. */
final class RawTlsConnection implements AutoCloseable {

    private final SSLSocket socket;
    private final OutputStream out;

    RawTlsConnection(RunningWebhook webhook, Duration readTimeout) throws IOException {
        this(TestCertificates.trustingOnly(webhook.certificates), webhook.server.port(), readTimeout);
    }

    /** A connection to a webhook on {@code port} of loopback (a {@code serve} process), trusting what {@code tls} trusts. */
    RawTlsConnection(SSLContext tls, int port, Duration readTimeout) throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One HTTP/1.1 answer with a {@code Content-Length}, read without waiting for the connection to close. */
    String readAnswer() throws IOException {
        java.io.InputStream in = socket.getInputStream();
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection closed in the middle of the answer's headers: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(headers);
        if (!length.find()) {
            throw new AssertionError("an answer without Content-Length: " + headers);
        }
        return headers + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    /** Everything the server sends until it closes the connection (or the read timeout passes: then what came). */
    String readUntilClosed() throws IOException {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = socket.getInputStream().read(buffer)) != -1) {
                answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open past the read timeout; got so far: " + answer, e);
        } catch (IOException e) {
            // a reset after the server gave up is a close too
        }
        return answer.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
