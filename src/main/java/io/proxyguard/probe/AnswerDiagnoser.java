package io.proxyguard.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a CONNECT answer that did not open a tunnel into a {@link Diagnosis}. An answer that shows Envoy's
 * hand (its {@code server} header, {@code x-envoy-*} headers, a {@code route_not_found} body, or a 404,
 * which a forward proxy never gives to CONNECT) comes from a sidecar, whatever its status.
 */
final class AnswerDiagnoser {

    private AnswerDiagnoser() {
    }

    static Diagnosis diagnose(ProbedProxy proxy, HostPort target, ConnectAnswer answer, ProbeSettings settings) {
        List<String> evidence = sidecarEvidence(answer);
        if (!evidence.isEmpty()) {
            return new Diagnosis.SidecarAnswered(proxy, answer, evidence);
        }
        return switch (answer.status()) {
            case 403 -> new Diagnosis.ProxyDenied(target, answer);
            case 407 -> new Diagnosis.ProxyAuthRequired(answer, settings.credentials().map(ProxyCredentials::user).orElse(null));
            case 502, 503, 504 -> new Diagnosis.UpstreamFailed(target, answer);
            default -> new Diagnosis.UnexpectedStatus(target, answer);
        };
    }

    /** The signs that Envoy wrote this answer; empty when there are none. */
    static List<String> sidecarEvidence(ConnectAnswer answer) {
        List<String> evidence = new ArrayList<>();
        answer.header("server")
                .filter(server -> server.toLowerCase(Locale.ROOT).contains("envoy"))
                .ifPresent(server -> evidence.add("server: " + server));
        answer.headerNamesStartingWith("x-envoy-").forEach(name -> evidence.add(name + " header"));
        if (answer.bodyExcerpt().contains("route_not_found")) {
            evidence.add("body says route_not_found");
        }
        if (answer.status() == 404) {
            evidence.add("404 is Envoy's answer to a CONNECT it has no route for; a forward proxy does not give it");
        }
        return evidence;
    }
}
