package io.proxyguard.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body with a size cap, whether or not the client announced a length (HTTP/2 and
 * chunked requests need not): past the cap it stops reading and answers 413.
 */
final class RequestBody {

    private RequestBody() {
    }

    static byte[] read(InputStream in, long declaredLength, long maxBytes) throws IOException, BadRequestException {
        if (declaredLength > maxBytes) {
            throw tooLarge(declaredLength, maxBytes);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 16 * 1024);
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            total += read;
            if (total > maxBytes) {
                throw tooLarge(total, maxBytes);
            }
            body.write(buffer, 0, read);
        }
        return body.toByteArray();
    }

    private static BadRequestException tooLarge(long seen, long maxBytes) {
        return new BadRequestException(413, "the body is larger than " + maxBytes + " bytes (" + (seen >= maxBytes ? "at least " : "")
                + seen + " bytes); an AdmissionReview is never that large");
    }
}
