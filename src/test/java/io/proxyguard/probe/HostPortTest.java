package io.proxyguard.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {

    @ParameterizedTest
    @CsvSource({
            "10.10.0.5:3128, 10.10.0.5, 3128, 10.10.0.5:3128",
            "en.wikipedia.org:443, en.wikipedia.org, 443, en.wikipedia.org:443",
            "[fd00::5]:3128, fd00::5, 3128, [fd00::5]:3128",
            "' [::1]:8443 ', ::1, 8443, [::1]:8443"})
    void parsesHostAndPortAndWritesThemBackAsConnectTarget(String text, String host, int port, String written) {
        HostPort parsed = HostPort.parse(text);

        assertThat(parsed.host()).isEqualTo(host);
        assertThat(parsed.port()).isEqualTo(port);
        assertThat(parsed).hasToString(written);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.10.0.5|has no port",
            "fd00::5:3128|needs brackets, as in [fd00::5]:3128",
            "[fd00::5]3128|is not [IPv6]:PORT",
            ":3128|has no host",
            "proxy:http|'http' is not a port number",
            "proxy:0|out of range",
            "proxy:65536|out of range"})
    void rejectsMalformedInputWithAReason(String text, String reason) {
        assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }

    @Test
    void knowsAnIpv6Literal() {
        assertThat(HostPort.parse("[::1]:1").isIpv6Literal()).isTrue();
        assertThat(HostPort.parse("127.0.0.1:1").isIpv6Literal()).isFalse();
    }
}
