package io.proxyguard.audit;

import io.proxyguard.audit.PolicyReport.ObjectReference;
import io.proxyguard.audit.PolicyReport.Result;
import io.proxyguard.audit.PolicyReport.Summary;
import io.proxyguard.audit.PolicyReport.Timestamp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of PolicyReport results, field by field with each value's length before it (so that no two different
 * results feed the same bytes), absent and empty values told apart as the records tell them apart. What the writer
 * keeps of a report it read instead of the report itself: a result's key (its digest without the timestamp) says
 * since when it has been true, and the digest of the whole report (each result's key and timestamp, in order, and
 * the summary) whether it needs writing. A cryptographic digest, not a hash code: the strings come from objects
 * users write, and two contents that collide would leave a changed report unwritten. Not thread-safe: one per write.
 */
final class ResultDigest {

    /** The first 128 bits of a result's SHA-256 without its timestamp: the same finding on the same object. */
    record Key(long high, long low) {
    }

    /** A report with its digest. */
    record Digested(PolicyReport report, byte[] digest) {

        boolean sameDigestAs(byte[] other) {
            return Arrays.equals(digest, other);
        }
    }

    /** The digest of a report being assembled result by result. */
    final class ReportDigest {

        private ReportDigest() {
            report.reset();
        }

        void add(Key key, Timestamp timestamp) {
            buffer.clear();
            buffer.putLong(key.high()).putLong(key.low());
            buffer.putLong(timestamp == null ? -1 : timestamp.seconds()).putInt(timestamp == null ? -1 : timestamp.nanos());
            report.update(buffer.array(), 0, buffer.length());
        }

        byte[] finish(Summary summary) {
            buffer.clear();
            buffer.putString(summary == null ? null
                    : summary.pass() + "/" + summary.fail() + "/" + summary.warn() + "/" + summary.error() + "/" + summary.skip());
            report.update(buffer.array(), 0, buffer.length());
            return report.digest();
        }
    }

    private final MessageDigest result = sha256();
    private final MessageDigest report = sha256();
    private final Bytes buffer = new Bytes();

    /** The result without its timestamp. */
    Key key(Result r) {
        buffer.clear();
        buffer.putString(r.source()).putString(r.policy()).putString(r.rule()).putString(r.result()).putString(r.severity())
                .putString(r.scored() == null ? null : r.scored().toString()).putString(r.category()).putString(r.message());
        buffer.putInt(r.resources().size());
        for (ObjectReference o : r.resources()) {
            buffer.putString(o.apiVersion()).putString(o.kind()).putString(o.namespace()).putString(o.name()).putString(o.uid());
        }
        Map<String, String> properties = r.properties().size() < 2 ? r.properties() : new TreeMap<>(r.properties());
        buffer.putInt(properties.size());
        properties.forEach((name, value) -> buffer.putString(name).putString(value));
        result.update(buffer.array(), 0, buffer.length());
        byte[] hash = result.digest();
        return new Key(longAt(hash, 0), longAt(hash, 8));
    }

    /** A digest to assemble result by result ({@link ReportDigest#add}), then {@link ReportDigest#finish}. */
    ReportDigest report() {
        return new ReportDigest();
    }

    /** {@code report} with the digest of its results (timestamps included, in order) and summary. */
    Digested digested(PolicyReport report) {
        ReportDigest digest = report();
        report.results().forEach(r -> digest.add(key(r), r.timestamp()));
        return new Digested(report, digest.finish(report.summary()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static long longAt(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    /** A growable byte buffer fed to the digest in one call per result: one update call per field costs more than the hashing. */
    private static final class Bytes {

        private byte[] bytes = new byte[512];
        private int length;

        void clear() {
            length = 0;
        }

        byte[] array() {
            return bytes;
        }

        int length() {
            return length;
        }

        Bytes putString(String value) {
            if (value == null) {
                return putByte(0);
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            putByte(1).putInt(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, length, utf8.length);
            length += utf8.length;
            return this;
        }

        Bytes putLong(long value) {
            return putInt((int) (value >>> 32)).putInt((int) value);
        }

        Bytes putInt(int value) {
            return putByte(value >>> 24).putByte(value >>> 16).putByte(value >>> 8).putByte(value);
        }

        private Bytes putByte(int value) {
            room(1);
            bytes[length++] = (byte) value;
            return this;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
