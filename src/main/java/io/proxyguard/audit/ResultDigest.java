package io.proxyguard.audit;

import io.proxyguard.audit.PolicyReport.ObjectReference;
import io.proxyguard.audit.PolicyReport.Result;
import io.proxyguard.audit.PolicyReport.Summary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of PolicyReport results, field by field with each value's length before it (so that no two different
 * results feed the same bytes), absent and empty values told apart as the records tell them apart. What the writer
 * keeps of a report it read instead of the report itself: a result's key (its digest without the timestamp) says
 * since when it has been true, and the digest of the whole report (results and summary) whether it needs writing.
 * Not thread-safe: one per write.
 */
final class ResultDigest {

    /** The first 128 bits of a result's SHA-256 without its timestamp: the same finding on the same object. */
    record Key(long high, long low) {
    }

    private final MessageDigest sha256;

    ResultDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The result without its timestamp. */
    Key key(Result result) {
        feed(result);
        byte[] hash = sha256.digest();
        return new Key(longAt(hash, 0), longAt(hash, 8));
    }

    /** The report's results, timestamps included, in their order, and its summary. */
    byte[] of(PolicyReport report) {
        for (Result result : report.results()) {
            feed(result);
            feed(result.timestamp() == null ? null : result.timestamp().seconds() + "." + result.timestamp().nanos());
        }
        Summary summary = report.summary();
        feed(summary == null ? null : summary.pass() + "/" + summary.fail() + "/" + summary.warn() + "/" + summary.error() + "/" + summary.skip());
        return sha256.digest();
    }

    private void feed(Result r) {
        feed(r.source());
        feed(r.policy());
        feed(r.rule());
        feed(r.result());
        feed(r.severity());
        feed(r.scored() == null ? null : r.scored().toString());
        feed(r.category());
        feed(r.message());
        feed(Integer.toString(r.resources().size()));
        for (ObjectReference o : r.resources()) {
            feed(o.apiVersion());
            feed(o.kind());
            feed(o.namespace());
            feed(o.name());
            feed(o.uid());
        }
        Map<String, String> properties = new TreeMap<>(r.properties());
        feed(Integer.toString(properties.size()));
        properties.forEach((name, value) -> {
            feed(name);
            feed(value);
        });
    }

    private void feed(String value) {
        if (value == null) {
            sha256.update((byte) 0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        sha256.update((byte) 1);
        sha256.update((byte) (bytes.length >>> 24));
        sha256.update((byte) (bytes.length >>> 16));
        sha256.update((byte) (bytes.length >>> 8));
        sha256.update((byte) bytes.length);
        sha256.update(bytes);
    }

    private static long longAt(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }
}
