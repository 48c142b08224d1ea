package io.proxyguard.probe;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the answer to a CONNECT request with Jetty's HTTP/1 parser: the status line and headers (at most
 * {@value #MAX_HEADER_BYTES} bytes), then, for an answer that is not 2xx, at most {@value #MAX_BODY_BYTES}
 * bytes of its body. A 2xx answer has no body: what follows it belongs to the tunnel, and since TLS clients
 * speak first, a proxy that sends anything more before the client has is not a proper CONNECT proxy.
 */
final class ConnectAnswerReader {

    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_BODY_BYTES = 4 * 1024;

    /** The peer sent no answer, or one that is not HTTP: the message says what arrived. */
    static final class NotHttp extends IOException {
        private static final long serialVersionUID = 1L;

        NotHttp(String message) {
            super(message);
        }
    }

    private ConnectAnswerReader() {
    }

    /**
     * Reads one answer. Throws {@link SocketTimeoutException} when no status line arrives in time, and
     * {@link NotHttp} when the connection closes first or the bytes are not an HTTP response.
     */
    static ConnectAnswer read(InputStream in) throws IOException {
        Collector collector = new Collector();
        HttpParser parser = new HttpParser(collector, MAX_HEADER_BYTES);
        collector.parser = parser;
        byte[] chunk = new byte[2048];
        while (!collector.done) {
            int count;
            try {
                count = in.read(chunk);
            } catch (SocketTimeoutException e) {
                if (collector.headersComplete) {
                    break;
                }
                throw e;
            }
            if (count < 0) {
                parser.atEOF();
                parser.parseNext(ByteBuffer.allocate(0));
                break;
            }
            ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, count);
            while (buffer.hasRemaining() && !collector.done) {
                parser.parseNext(buffer);
                if (collector.failure != null) {
                    throw new NotHttp("the answer is not HTTP (" + collector.failure + "); it began with "
                            + printable(chunk, count));
                }
            }
            if (collector.tunnelAnswer && buffer.hasRemaining()) {
                throw new NotHttp("the proxy sent " + buffer.remaining() + " bytes after its "
                        + collector.status + " answer, before the client spoke: they would corrupt the tunnel");
            }
        }
        if (!collector.headersComplete) {
            throw new NotHttp(collector.status == 0
                    ? "the connection closed without an answer to CONNECT"
                    : "the connection closed in the middle of the answer's headers");
        }
        return collector.answer();
    }

    private static String printable(byte[] bytes, int count) {
        String text = new String(bytes, 0, Math.min(count, 40), StandardCharsets.ISO_8859_1);
        return "'" + text.replaceAll("[^\\x20-\\x7e]", ".") + "'";
    }

    /** Receives the parser's events; stops it after the headers of a 2xx answer or a capped body. */
    private static final class Collector implements HttpParser.ResponseHandler {
        HttpParser parser;
        String version = "";
        int status;
        String reason = "";
        final List<ConnectAnswer.Header> headers = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean headersComplete;
        boolean tunnelAnswer;
        boolean done;
        String failure;

        @Override
        public void startResponse(HttpVersion httpVersion, int code, String text) {
            version = httpVersion == null ? "" : httpVersion.asString();
            status = code;
            reason = text;
            tunnelAnswer = code >= 200 && code < 300;
            if (tunnelAnswer) {
                parser.setHeadResponse(true);
            }
        }

        @Override
        public void parsedHeader(HttpField field) {
            headers.add(new ConnectAnswer.Header(field.getName(), field.getValue()));
        }

        @Override
        public boolean headerComplete() {
            headersComplete = true;
            if (tunnelAnswer) {
                done = true;
            }
            return done;
        }

        @Override
        public boolean content(ByteBuffer content) {
            int room = MAX_BODY_BYTES - body.size();
            int take = Math.min(room, content.remaining());
            byte[] bytes = new byte[take];
            content.get(bytes);
            body.write(bytes, 0, take);
            content.position(content.limit());
            if (body.size() >= MAX_BODY_BYTES) {
                done = true;
            }
            return done;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            done = true;
            return true;
        }

        @Override
        public void earlyEOF() {
            done = true;
        }

        @Override
        public void badMessage(HttpException failure) {
            this.failure = failure.getReason() == null ? String.valueOf(failure) : failure.getReason();
            done = true;
        }

        ConnectAnswer answer() {
            return new ConnectAnswer(version, status, reason, headers, body.toString(StandardCharsets.UTF_8));
        }
    }
}
