package io.proxyguard.manifest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Strict UTF-8: invalid bytes are an input error that says where they are (line and column), never silently
 * replaced characters. Files larger than {@link #MAX_BYTES} are refused before they are read.
 */
public final class Utf8Text {

    /** Four bytes per code point at most: a file past this cannot be under {@link SafeYaml#MAX_CODE_POINTS}. */
    public static final long MAX_BYTES = 4L * SafeYaml.MAX_CODE_POINTS;

    private Utf8Text() {
    }

    /** The text of {@code file}, named {@code source} in errors. */
    public static String read(Path file, String source) throws ManifestException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ManifestException(source, "larger than " + MAX_BYTES + " bytes");
            }
            return decode(Files.readAllBytes(file), source);
        } catch (IOException e) {
            throw new ManifestException(source, 0, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    public static String decode(byte[] bytes, String source) throws ManifestException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw invalid(out, bytes[in.position()], source);
        }
        return out.flip().toString();
    }

    private static ManifestException invalid(CharBuffer decoded, byte bad, String source) {
        int end = decoded.position();
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (decoded.get(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new ManifestException(source, line, end - lineStart + 1,
                String.format("not valid UTF-8: byte 0x%02X does not start or continue a character here", bad & 0xFF), null);
    }
}
