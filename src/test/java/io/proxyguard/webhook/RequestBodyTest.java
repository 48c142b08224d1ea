package io.proxyguard.webhook;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodyTest {

    private static final byte[] BODY = "{\"kind\":\"AdmissionReview\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void readsABodyOfItsAnnouncedLength() throws Exception {
        assertThat(RequestBody.read(stream(BODY), BODY.length, 1024)).isEqualTo(BODY);
    }

    @Test
    void readsABodyWithoutAnnouncedLengthInChunks() throws Exception {
        byte[] large = new byte[40_000];
        large[39_999] = 7;
        assertThat(RequestBody.read(stream(large), -1, 100_000)).isEqualTo(large);
    }

    @Test
    void aBodyShorterThanAnnouncedIsWhatArrived() throws Exception {
        assertThat(RequestBody.read(stream(BODY), BODY.length + 10, 1024)).isEqualTo(BODY);
    }

    @Test
    void aBodyLongerThanAnnouncedIsABadRequest() {
        assertThatThrownBy(() -> RequestBody.read(stream(BODY), 5, 1024))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("longer than its Content-Length of 5 bytes");
                });
    }

    @Test
    void anAnnouncedLengthOverTheLimitIsRefusedBeforeReading() {
        assertThatThrownBy(() -> RequestBody.read(stream(new byte[2048]), 2048, 1024))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void anUnannouncedBodyOverTheLimitIsRefusedAndDrained() {
        ByteArrayInputStream in = stream(new byte[50_000]);
        assertThatThrownBy(() -> RequestBody.read(in, -1, 1024))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThat(in.available()).as("the rest was read so the sender sees the 413").isZero();
    }

    private static ByteArrayInputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }
}
