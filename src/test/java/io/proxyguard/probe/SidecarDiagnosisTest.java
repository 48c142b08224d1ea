package io.proxyguard.probe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An HTTP answer to CONNECT written by Envoy is the PG101 symptom, whatever Envoy put in it. */
class SidecarDiagnosisTest {

    private static final HostPort TARGET = new HostPort("en.wikipedia.org", 443);

    private static ProbeResult probeThrough(String response, StringBuilder request) throws Exception {
        try (LoopbackServer sidecar = FakeSidecar.answering(response, request)) {
            ProbeSettings settings = ProbeSettings.defaults().withTargets(List.of(TARGET));
            return new ProxyProber(settings).probe(new ProbedProxy("corp-proxy", sidecar.address()), TARGET);
        }
    }

    @Test
    void diagnosesEnvoyRouteNotFoundAsPg101() throws Exception {
        StringBuilder request = new StringBuilder();

        ProbeResult result = probeThrough(FakeSidecar.ENVOY_404, request);

        assertThat(result.diagnosis()).isInstanceOfSatisfying(Diagnosis.SidecarAnswered.class,
                sidecar -> assertThat(sidecar.evidence()).anyMatch(e -> e.equals("server: envoy")));
        assertThat(result.diagnosis().code()).isEqualTo("sidecar-answered");
        assertThat(result.diagnosis().message()).contains("PG101", "protocol: TCP", "404 Not Found", "corp-proxy", "proxyguard validate");
        assertThat(request.toString()).startsWith("CONNECT en.wikipedia.org:443 HTTP/1.1\r\n").contains("Host: en.wikipedia.org:443\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 404 Not Found\r\ncontent-length: 15\r\n\r\nroute_not_found",
            "HTTP/1.1 403 Forbidden\r\nserver: istio-envoy\r\ncontent-length: 19\r\n\r\nRBAC: access denied",
            "HTTP/1.1 503 Service Unavailable\r\nx-envoy-upstream-service-time: 3\r\ncontent-length: 0\r\n\r\n"})
    void recognisesEnvoyByBodyServerOrEnvoyHeaders(String response) throws Exception {
        ProbeResult result = probeThrough(response, new StringBuilder());

        assertThat(result.diagnosis().code()).isEqualTo("sidecar-answered");
    }

    @Test
    void plainProxyErrorIsNotMistakenForSidecar() throws Exception {
        String squidLike = "HTTP/1.1 503 Service Unavailable\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_DNS_FAIL 0\r\n"
                + "Content-Length: 4\r\n\r\noops";

        ProbeResult result = probeThrough(squidLike, new StringBuilder());

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.UpstreamFailed.class);
        assertThat(result.diagnosis().message()).contains("ERR_DNS_FAIL");
    }

    @Test
    void unknownStatusIsReportedAsIs() throws Exception {
        ProbeResult result = probeThrough("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n", new StringBuilder());

        assertThat(result.diagnosis().code()).isEqualTo("unexpected-status");
        assertThat(result.diagnosis().message()).contains("429 Too Many Requests");
    }

    @Test
    void bytesThatAreNotHttpMeanTheyDoNotComeFromAProxy() throws Exception {
        ProbeResult result = probeThrough("SSH-2.0-OpenSSH_9.2\r\n", new StringBuilder());

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.NotAProxy.class);
        assertThat(result.diagnosis().message()).contains("SSH-2.0");
    }
}
