package io.proxyguard.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body with a size cap, whether or not the client announced a length (HTTP/2 and
 * chunked requests need not). Past the cap it answers 413, but first reads and discards the rest of a
 * body up to {@link #DISCARD_LIMIT} in total: a client still busy sending (blocked by HTTP/2 flow
 * control, or writing into a socket the server closed) would otherwise never see the 413. Beyond that
 * limit the connection is simply closed.
 */
final class RequestBody {

    /** How much of an oversized body is read and thrown away so its sender gets a clean 413. */
    static final long DISCARD_LIMIT = 16L * 1024 * 1024;
    private static final int CHUNK = 16 * 1024;

    private RequestBody() {
    }

    static byte[] read(InputStream in, long declaredLength, long maxBytes) throws IOException, BadRequestException {
        if (declaredLength > maxBytes) {
            if (declaredLength <= DISCARD_LIMIT) {
                discard(in, DISCARD_LIMIT);
            }
            throw tooLarge(maxBytes, "is " + declaredLength + " bytes");
        }
        if (declaredLength >= 0) {
            return readDeclared(in, (int) declaredLength);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(CHUNK);
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            total += read;
            if (total > maxBytes) {
                discard(in, DISCARD_LIMIT - total);
                throw tooLarge(maxBytes, "has more than that");
            }
            body.write(buffer, 0, read);
        }
        return body.toByteArray();
    }

    /**
     * A body whose length the client announced: read into an array of exactly that size, with no copy.
     * A body that ends early is what arrived (the parser then says what is missing); one that goes on
     * past its announced length, which Jetty itself does not let through, is refused all the same.
     */
    private static byte[] readDeclared(InputStream in, int length) throws IOException, BadRequestException {
        byte[] body = new byte[length];
        int total = in.readNBytes(body, 0, length);
        if (total < length) {
            return Arrays.copyOf(body, total);
        }
        if (in.read() != -1) {
            discard(in, DISCARD_LIMIT - length - 1);
            throw new BadRequestException(400, "the body is longer than its Content-Length of " + length + " bytes");
        }
        return body;
    }

    private static void discard(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long left = limit;
        int read;
        while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
            left -= read;
        }
    }

    private static BadRequestException tooLarge(long maxBytes, String actual) {
        return new BadRequestException(413, "the body " + actual + "; the limit is " + maxBytes
                + " bytes (7 MiB), more than any AdmissionReview needs");
    }
}
