package io.proxyguard.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Probes through real Squids to local TLS services; every verdict is checked against what Squid logged. */
@ExtendWith(ProbeLab.Extension.class)
class ProxyProberSquidTest {

    private static ProbeResult probe(SquidServer squid, ProbeSettings settings) {
        return new ProxyProber(settings).probe(ProbedProxy.at(squid.address()), settings.targets().get(0));
    }

    @Test
    void opensTunnelAndVerifiesTargetCertificateWhenSquidAllowsThePort(ProbeLab lab) throws Exception {
        HostPort target = ProbeLab.target(lab.goodService);

        ProbeResult result = probe(lab.allowingSquid, lab.settings(target));

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.Passed.class);
        assertThat(result.diagnosis().code()).isEqualTo("ok");
        assertThat(result.steps()).extracting(StepTiming::step).containsExactly(Step.TCP_CONNECT, Step.CONNECT, Step.TLS_HANDSHAKE);
        assertThat(result.steps()).allMatch(StepTiming::succeeded);
        assertThat(result.answer()).get().extracting(ConnectAnswer::status).isEqualTo(200);
        assertThat(result.certificate()).get().satisfies(certificate -> {
            assertThat(certificate.subject()).isEqualTo("CN=external.test");
            assertThat(certificate.issuer()).isEqualTo("CN=ProxyGuard Test CA");
            assertThat(certificate.dnsNames()).containsExactly("external.test");
        });
        lab.allowingSquid.awaitAccessLogLine("TCP_TUNNEL/200", "CONNECT " + target + " ", "HIER_DIRECT/127.0.0.1");
    }

    @Test
    void reportsSquidAclDenialForPortOutsideGuideSslPorts(ProbeLab lab) throws Exception {
        HostPort target = ProbeLab.target(lab.goodService);

        ProbeResult result = probe(lab.guideSquid, lab.settings(target));

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.ProxyDenied.class);
        assertThat(result.diagnosis().message())
                .contains("403 Forbidden", "ERR_ACCESS_DENIED", "http_access deny CONNECT !SSL_ports", "add " + target.port());
        assertThat(result.steps()).extracting(StepTiming::step).containsExactly(Step.TCP_CONNECT, Step.CONNECT);
        lab.guideSquid.awaitAccessLogLine("TCP_DENIED/403", "CONNECT " + target + " ");
    }

    @Test
    void reportsRefusedConnectionWhenNothingListensOnProxyPort(ProbeLab lab) throws IOException {
        ProbedProxy nothing = ProbedProxy.at(new HostPort("127.0.0.1", LoopbackServer.freePort()));

        ProbeResult result = new ProxyProber(lab.settings(ProbeLab.target(lab.goodService))).probe(nothing, ProbeLab.target(lab.goodService));

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.ProxyRefused.class);
        assertThat(result.diagnosis().code()).isEqualTo("proxy-refused");
        assertThat(result.steps()).singleElement().satisfies(step -> {
            assertThat(step.step()).isEqualTo(Step.TCP_CONNECT);
            assertThat(step.succeeded()).isFalse();
        });
    }

    @Test
    void reportsUpstreamFailureWhenSquidCannotReachTarget(ProbeLab lab) throws Exception {
        HostPort target = new HostPort(ProbeLab.TARGET_HOST, lab.closedPort);

        ProbeResult result = probe(lab.allowingSquid, lab.settings(target));

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.UpstreamFailed.class);
        assertThat(result.answer()).get().extracting(ConnectAnswer::status).isEqualTo(503);
        assertThat(result.diagnosis().message()).contains("ERR_CONNECT_FAIL");
        lab.allowingSquid.awaitAccessLogLine("/503", "CONNECT " + target + " ");
    }

    @Test
    void namesUntrustedCertificateAndWhatItPresented(ProbeLab lab) throws Exception {
        HostPort target = ProbeLab.target(lab.untrustedService);

        ProbeResult result = probe(lab.allowingSquid, lab.settings(target));

        assertThat(result.diagnosis()).isInstanceOfSatisfying(Diagnosis.TargetTlsFailed.class,
                failed -> assertThat(failed.problem()).isEqualTo(TlsProblem.UNTRUSTED));
        assertThat(result.diagnosis().code()).isEqualTo("tls-untrusted");
        assertThat(result.diagnosis().message()).contains("issued by CN=Unknown CA", "--ca FILE");
        assertThat(result.steps()).extracting(StepTiming::succeeded).containsExactly(true, true, false);
    }

    @Test
    void namesHostnameMismatchWhenCertificateIsForAnotherHost(ProbeLab lab) {
        ProbeResult result = probe(lab.allowingSquid, lab.settings(ProbeLab.target(lab.wrongNameService)));

        assertThat(result.diagnosis()).isInstanceOfSatisfying(Diagnosis.TargetTlsFailed.class,
                failed -> assertThat(failed.problem()).isEqualTo(TlsProblem.HOSTNAME_MISMATCH));
        assertThat(result.diagnosis().message()).contains("CN=other.test", "does not name external.test");
    }

    @Test
    void namesExpiredCertificate(ProbeLab lab) {
        ProbeResult result = probe(lab.allowingSquid, lab.settings(ProbeLab.target(lab.expiredService)));

        assertThat(result.diagnosis()).isInstanceOfSatisfying(Diagnosis.TargetTlsFailed.class,
                failed -> assertThat(failed.problem()).isEqualTo(TlsProblem.EXPIRED));
    }

    @Test
    void reportsHandshakeTimeoutWhenTargetNeverSpeaksTls(ProbeLab lab) {
        ProbeSettings settings = lab.settings(ProbeLab.target(lab.silentService)).withTimeout(Duration.ofMillis(700));

        ProbeResult result = probe(lab.allowingSquid, settings);

        assertThat(result.diagnosis()).isInstanceOfSatisfying(Diagnosis.TargetTlsFailed.class,
                failed -> assertThat(failed.problem()).isEqualTo(TlsProblem.HANDSHAKE_TIMEOUT));
        assertThat(result.diagnosis().message()).contains("Does the target speak TLS on port " + lab.silentService.port());
    }

    @Test
    void insecureCompletesHandshakeWithUntrustedCertificateAndSaysItIsNotVerified(ProbeLab lab) {
        HostPort target = ProbeLab.target(lab.untrustedService);
        ProbeSettings settings = lab.settings(target).withTargetTrust(TlsTrust.insecure());

        ProbeResult result = probe(lab.allowingSquid, settings);

        assertThat(result.passed()).isTrue();
        assertThat(result.diagnosis().message()).contains("not verified");
        assertThat(result.certificate()).get().extracting(CertificateSummary::issuer).isEqualTo("CN=Unknown CA");
    }

    @Test
    void jdkTrustStoreDoesNotTrustTheTestCa(ProbeLab lab) {
        ProbeSettings settings = lab.settings(ProbeLab.target(lab.goodService)).withTargetTrust(TlsTrust.jdkDefault());

        ProbeResult result = probe(lab.allowingSquid, settings);

        assertThat(result.diagnosis().code()).isEqualTo("tls-untrusted");
        assertThat(result.diagnosis().message()).contains("the JDK trust store");
    }

    @Test
    void probesThroughTlsToTheProxyItself(ProbeLab lab) throws Exception {
        HostPort target = ProbeLab.target(lab.goodService);
        ProbeSettings settings = lab.settings(target).withProxyTls(TlsTrust.fromPemFile(lab.caFile));

        ProbeResult result = new ProxyProber(settings).probe(ProbedProxy.at(lab.allowingSquid.httpsAddress()), target);

        assertThat(result.passed()).as(result.diagnosis().message()).isTrue();
        assertThat(result.steps()).extracting(StepTiming::step)
                .containsExactly(Step.TCP_CONNECT, Step.PROXY_TLS, Step.CONNECT, Step.TLS_HANDSHAKE);
        lab.allowingSquid.awaitAccessLogLine("TCP_TUNNEL/200", "CONNECT " + target + " ");
    }

    @Test
    void reportsUntrustedProxyCertificateWithTls(ProbeLab lab) {
        HostPort target = ProbeLab.target(lab.goodService);
        ProbeSettings settings = lab.settings(target).withProxyTls(TlsTrust.jdkDefault());

        ProbeResult result = new ProxyProber(settings).probe(ProbedProxy.at(lab.allowingSquid.httpsAddress()), target);

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.ProxyTlsFailed.class);
        assertThat(result.diagnosis().code()).isEqualTo("proxy-tls-untrusted");
        assertThat(result.diagnosis().message()).contains("--proxy-ca");
    }

    @Test
    void reportsNotAProxyWhenPlainConnectMeetsTlsPort(ProbeLab lab) {
        HostPort target = ProbeLab.target(lab.goodService);

        ProbeResult result = new ProxyProber(lab.settings(target)).probe(ProbedProxy.at(lab.allowingSquid.httpsAddress()), target);

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.NotAProxy.class);
    }

    @Test
    void reportsProxyThatNeverAnswersConnect(ProbeLab lab) {
        HostPort target = ProbeLab.target(lab.goodService);
        ProbeSettings settings = lab.settings(target).withTimeout(Duration.ofMillis(500));

        ProbeResult result = new ProxyProber(settings).probe(ProbedProxy.at(lab.silentService.address()), target);

        assertThat(result.diagnosis()).isInstanceOfSatisfying(Diagnosis.ProxyTimedOut.class,
                timedOut -> assertThat(timedOut.step()).isEqualTo(Step.CONNECT));
        assertThat(result.diagnosis().code()).isEqualTo("proxy-answer-timeout");
    }

    @Test
    void probesEveryTargetThroughEveryProxy(ProbeLab lab) {
        ProbeSettings settings = lab.settings(ProbeLab.target(lab.goodService))
                .withTargets(List.of(ProbeLab.target(lab.goodService), ProbeLab.target(lab.expiredService)));

        List<ProbeResult> results = new ProxyProber(settings)
                .probeAll(List.of(ProbedProxy.at(lab.allowingSquid.address()), ProbedProxy.at(lab.guideSquid.address())));

        assertThat(results).extracting(r -> r.diagnosis().code())
                .containsExactly("ok", "tls-expired", "proxy-denied", "proxy-denied");
    }
}
