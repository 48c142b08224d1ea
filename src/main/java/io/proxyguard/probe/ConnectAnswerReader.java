package io.proxyguard.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the answer to a CONNECT request: the status line and headers (at most {@value #MAX_HEADER_BYTES}
 * bytes), then, for an answer that is not 2xx, at most {@value #MAX_BODY_BYTES} bytes of its body
 * (Content-Length, chunked, or up to the close). The head is read byte by byte, so nothing that belongs to
 * the tunnel is ever consumed; and since TLS clients speak first, a proxy that sends more after a 2xx answer
 * before the client has spoken is not a proper CONNECT proxy. The first bytes are checked at once, so a peer
 * that is not HTTP at all (TLS, SSH) is recognised without waiting for the timeout.
 * <p>
 * Hand-written rather than Jetty's {@code HttpParser}: that parser trips over its own assertions on the
 * malformed and truncated answers a probe exists to diagnose.
 */
final class ConnectAnswerReader {

    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_BODY_BYTES = 4 * 1024;

    private static final Pattern STATUS_LINE = Pattern.compile("(HTTP/\\d(?:\\.\\d)?) (\\d{3})(?: (.*))?");
    private static final byte[] HTTP_PREFIX = "HTTP/".getBytes(StandardCharsets.US_ASCII);

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
     * Reads one answer. Throws {@link SocketTimeoutException} when the head does not arrive in time, and
     * {@link NotHttp} when the connection closes first or the bytes are not an HTTP response.
     */
    static ConnectAnswer read(InputStream in) throws IOException {
        List<String> lines = readHead(in);
        Matcher status = STATUS_LINE.matcher(lines.get(0));
        if (!status.matches()) {
            throw new NotHttp("the answer is not HTTP: its first line is '" + printable(lines.get(0)) + "'");
        }
        List<ConnectAnswer.Header> headers = parseHeaders(lines.subList(1, lines.size()));
        int code = Integer.parseInt(status.group(2));
        ConnectAnswer head = new ConnectAnswer(status.group(1), code, status.group(3), headers, "");
        if (head.tunnelOpen()) {
            int early = in.available();
            if (early > 0) {
                throw new NotHttp("the proxy sent " + early + " bytes after its " + code
                        + " answer, before the client spoke: they would corrupt the tunnel");
            }
            return head;
        }
        return new ConnectAnswer(head.version(), code, head.reason(), headers, readBody(in, head));
    }

    /** The lines of the head up to the blank line, without line ends. */
    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new NotHttp(head.size() == 0 ? "the connection closed without an answer to CONNECT"
                        : "the connection closed in the middle of the answer's headers");
            }
            head.write(b);
            if (head.size() == HTTP_PREFIX.length && !startsWithHttp(head.toByteArray())) {
                head.write(in.readNBytes(Math.min(in.available(), 35)));
                throw new NotHttp("the answer is not HTTP: it began with '" + printable(head.toString(StandardCharsets.ISO_8859_1)) + "'");
            }
            if (head.size() > MAX_HEADER_BYTES) {
                throw new NotHttp("the answer's headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            line.reset();
            if (text.isEmpty() && !lines.isEmpty()) {
                return lines;
            }
            if (lines.isEmpty() && !STATUS_LINE.matcher(text).matches()) {
                throw new NotHttp("the answer is not HTTP: its first line is '" + printable(text) + "'");
            }
            lines.add(text);
        }
    }

    private static boolean startsWithHttp(byte[] bytes) {
        for (int i = 0; i < HTTP_PREFIX.length; i++) {
            if (bytes[i] != HTTP_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    private static List<ConnectAnswer.Header> parseHeaders(List<String> lines) throws NotHttp {
        List<ConnectAnswer.Header> headers = new ArrayList<>();
        for (String line : lines) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                ConnectAnswer.Header last = headers.remove(headers.size() - 1);
                headers.add(new ConnectAnswer.Header(last.name(), last.value() + " " + line.trim()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new NotHttp("the answer has a malformed header line '" + printable(line) + "'");
            }
            headers.add(new ConnectAnswer.Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return headers;
    }

    /** At most {@value #MAX_BODY_BYTES} bytes of the body; what arrived before a timeout is kept. */
    private static String readBody(InputStream in, ConnectAnswer head) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            boolean chunked = head.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
            if (chunked) {
                readChunked(in, body);
            } else {
                long length = head.header("Content-Length").filter(v -> v.matches("\\d{1,18}")).map(Long::parseLong).orElse(Long.MAX_VALUE);
                copy(in, body, Math.min(length, MAX_BODY_BYTES));
            }
        } catch (SocketTimeoutException e) {
            // a body without length on a connection kept open: keep what came
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (body.size() < MAX_BODY_BYTES) {
            String sizeLine = readLine(in).split(";", 2)[0].trim();
            if (!sizeLine.matches("[0-9a-fA-F]{1,7}")) {
                return;
            }
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                return;
            }
            copy(in, body, Math.min(size, MAX_BODY_BYTES - body.size()));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.length() < 1024) {
            line.append((char) b);
        }
        return line.toString();
    }

    private static void copy(InputStream in, ByteArrayOutputStream body, long limit) throws IOException {
        byte[] buffer = new byte[1024];
        long left = limit;
        while (left > 0) {
            int count = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (count < 0) {
                return;
            }
            body.write(buffer, 0, count);
            left -= count;
        }
    }

    private static String printable(String text) {
        String start = text.length() > 40 ? text.substring(0, 40) : text;
        return start.replaceAll("[^\\x20-\\x7e]", ".");
    }
}
