package io.proxyguard.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** A Squid that checks Basic credentials with basic_ncsa_auth against a bcrypt htpasswd file. */
@ExtendWith(ProbeLab.Extension.class)
class SquidAuthTest {

    private static ProbeResult probe(ProbeLab lab, ProbeSettings settings) {
        return new ProxyProber(settings).probe(ProbedProxy.at(lab.authSquid.address()), settings.targets().get(0));
    }

    @Test
    void reportsAuthRequiredWhenNoCredentialsAreSent(ProbeLab lab) throws Exception {
        HostPort target = ProbeLab.target(lab.goodService);

        ProbeResult result = probe(lab, lab.settings(target));

        assertThat(result.diagnosis()).isInstanceOf(Diagnosis.ProxyAuthRequired.class);
        assertThat(result.diagnosis().code()).isEqualTo("proxy-auth-required");
        assertThat(result.diagnosis().message()).contains("407", "Basic realm=\"proxyguard-test\"", "--proxy-user", "PROXYGUARD_PROXY_PASSWORD");
        lab.authSquid.awaitAccessLogLine("TCP_DENIED/407", "CONNECT " + target + " ");
    }

    @Test
    void reportsRejectedCredentialsWithoutShowingThePassword(ProbeLab lab) {
        ProxyCredentials wrong = new ProxyCredentials(ProbeLab.USER, "not-the-password");
        ProbeSettings settings = lab.settings(ProbeLab.target(lab.goodService)).withCredentials(wrong);

        ProbeResult result = probe(lab, settings);

        assertThat(result.diagnosis().code()).isEqualTo("proxy-auth-rejected");
        assertThat(result.diagnosis().message()).contains("user 'alice'").doesNotContain("not-the-password");
    }

    @Test
    void tunnelsWithTheRightCredentialsAndSquidLogsTheUser(ProbeLab lab) throws Exception {
        HostPort target = ProbeLab.target(lab.goodService);
        ProbeSettings settings = lab.settings(target).withCredentials(new ProxyCredentials(ProbeLab.USER, ProbeLab.PASSWORD));

        ProbeResult result = probe(lab, settings);

        assertThat(result.passed()).as(result.diagnosis().message()).isTrue();
        lab.authSquid.awaitAccessLogLine("TCP_TUNNEL/200", "CONNECT " + target + " " + ProbeLab.USER + " ");
    }
}
