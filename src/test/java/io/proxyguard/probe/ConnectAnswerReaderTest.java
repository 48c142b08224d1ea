package io.proxyguard.probe;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CONNECT answer parser on exact bytes, including the edge cases no real proxy in the lab produces. */
class ConnectAnswerReaderTest {

    private static ConnectAnswer read(String bytes) throws IOException {
        return ConnectAnswerReader.read(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsTunnelAnswerWithoutBody() throws IOException {
        ConnectAnswer answer = read("HTTP/1.1 200 Connection established\r\n\r\n");

        assertThat(answer.tunnelOpen()).isTrue();
        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 Connection established");
        assertThat(answer.headers()).isEmpty();
    }

    @Test
    void readsErrorAnswerHeadersAndChunkedBody() throws IOException {
        ConnectAnswer answer = read("HTTP/1.0 403 Forbidden\r\nServer: squid\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.header("x-squid-error")).contains("ERR_ACCESS_DENIED 0");
        assertThat(answer.describe()).isEqualTo("HTTP/1.0 403 Forbidden (X-Squid-Error: ERR_ACCESS_DENIED 0)");
        assertThat(answer.bodyExcerpt()).isEqualTo("hello world");
    }

    @Test
    void capsTheBodyItKeeps() throws IOException {
        String body = "x".repeat(ConnectAnswerReader.MAX_BODY_BYTES * 3);

        ConnectAnswer answer = read("HTTP/1.1 502 Bad Gateway\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

        assertThat(answer.bodyExcerpt()).hasSize(ConnectAnswerReader.MAX_BODY_BYTES);
    }

    @Test
    void keepsBodyThatEndsWithTheConnection() throws IOException {
        assertThat(read("HTTP/1.1 404 Not Found\r\n\r\nroute_not_found").bodyExcerpt()).isEqualTo("route_not_found");
    }

    @Test
    void refusesBytesAfterATunnelAnswer() {
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n\r\nsurprise"))
                .isInstanceOf(ConnectAnswerReader.NotHttp.class).hasMessageContaining("8 bytes after its 200 answer");
    }

    @Test
    void refusesHeadersLargerThanTheCap() {
        String huge = "X-Filler: " + "a".repeat(ConnectAnswerReader.MAX_HEADER_BYTES) + "\r\n";

        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n" + huge + "\r\n"))
                .isInstanceOf(ConnectAnswerReader.NotHttp.class).hasMessageContaining("headers exceed 16384 bytes");
    }

    @Test
    void reportsSilentCloseAndHalfAnswer() {
        assertThatThrownBy(() -> read("")).hasMessageContaining("closed without an answer");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nVia: x\r\n")).hasMessageContaining("middle of the answer's headers");
    }

    @Test
    void foldsContinuationLinesAndRejectsHeaderWithoutColon() throws IOException {
        assertThat(read("HTTP/1.1 200 OK\r\nVia: 1.1 a\r\n  1.1 b\r\n\r\n").header("via")).contains("1.1 a 1.1 b");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")).hasMessageContaining("malformed header line");
    }

    @Test
    void refusesAStatusLineThatIsNotHttp() {
        assertThatThrownBy(() -> read("HTTP/1.1 two hundred\r\n\r\n")).hasMessageContaining("first line is 'HTTP/1.1 two hundred'");
    }

    @Test
    void refusesSomethingThatIsNotHttp() {
        assertThatThrownBy(() -> read("\u0016\u0003\u0001\u0000\u00a5binary"))
                .isInstanceOf(ConnectAnswerReader.NotHttp.class).hasMessageContaining("not HTTP");
    }
}
