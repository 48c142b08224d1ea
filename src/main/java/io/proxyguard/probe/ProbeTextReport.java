package io.proxyguard.probe;

import java.util.List;
import java.util.Locale;

/**
 * The human report: one block per proxy and target, a line per timed step, then the verdict.
 * <pre>
 * corp-proxy (10.10.0.5:3128) -> en.wikipedia.org:443: PASS
 *   tcp connect        0.4 ms
 *   CONNECT            2.1 ms  HTTP/1.1 200 Connection established
 *   tls handshake     18.9 ms  CN=*.wikipedia.org ...
 * </pre>
 */
final class ProbeTextReport {

    private ProbeTextReport() {
    }

    static String render(List<ProbeResult> results) {
        StringBuilder out = new StringBuilder();
        for (ProbeResult result : results) {
            out.append(result.proxy().display()).append(" -> ").append(result.target()).append(": ")
                    .append(result.passed() ? "PASS" : "FAIL (" + result.diagnosis().code() + ")").append('\n');
            for (StepTiming timing : result.steps()) {
                out.append(String.format(Locale.ROOT, "  %-14s %9.1f ms", timing.step().label(), timing.millis()));
                String detail = detail(result, timing.step());
                if (!detail.isEmpty()) {
                    out.append("  ").append(detail);
                }
                out.append('\n');
            }
            if (!result.passed()) {
                out.append("  ").append(result.diagnosis().message()).append('\n');
            }
        }
        long passed = results.stream().filter(ProbeResult::passed).count();
        out.append(passed).append(" passed, ").append(results.size() - passed).append(" failed\n");
        return out.toString();
    }

    private static String detail(ProbeResult result, Step step) {
        return switch (step) {
            case CONNECT -> result.answer().map(ConnectAnswer::describe).orElse("");
            case TLS_HANDSHAKE -> result.certificate().map(CertificateSummary::describe).orElse("");
            default -> "";
        };
    }
}
