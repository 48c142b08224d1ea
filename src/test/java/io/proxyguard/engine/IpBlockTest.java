package io.proxyguard.engine;

import io.proxyguard.engine.model.IpBlock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IpBlockTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            10.10.0.5,        true,  false, 10.10.0.5/32
            10.10.0.5/32,     true,  true,  10.10.0.5/32
            10.10.0.0/24,     false, true,  10.10.0.0/32
            0.0.0.0,          true,  false, 0.0.0.0/32
            255.255.255.255/32, true, true, 255.255.255.255/32
            192.168.100.249,  true,  false, 192.168.100.249/32
            2001:db8::5,      true,  false, 2001:db8::5/128
            2001:0db8:0:0:0:0:0:5/128, true, true, 2001:db8::5/128
            2001:db8::/64,    false, true,  2001:db8::/128
            ::ffff:10.0.0.1,  true,  false, ::ffff:10.0.0.1/128
            """)
    void parsesLiterals(String text, boolean singleHost, boolean explicitPrefix, String hostCidr) {
        IpBlock block = IpBlock.parse(text).orElseThrow();

        assertThat(block.isSingleHost()).isEqualTo(singleHost);
        assertThat(block.explicitPrefix()).isEqualTo(explicitPrefix);
        assertThat(block.hostCidr()).isEqualTo(hostCidr);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "proxy.corp", "10.10.0.256", "10.10.0.5/33", "2001:db8::5/129", "10.10.0.5/", "10.1.5",
            "localhost", "1.2.3.4/-1", "gggg::1", "10.10.0.5/32/1",
            "010.10.0.5", "10.10.00.5", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 5", "+1.2.3.4", "1.2.3.1000", "１.2.3.4"})
    void rejectsWhatIsNotALiteral(String text) {
        assertThat(IpBlock.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(textBlock = """
            10.10.0.0/16, 10.10.200.1, true
            10.10.0.0/16, 10.11.0.1,   false
            10.10.0.5/32, 10.10.0.5,   true
            0.0.0.0/0,    192.0.2.1,   true
            2001:db8::/64, 2001:db8::abcd, true
            2001:db8::/64, 2001:db9::1, false
            10.10.0.0/16, 2001:db8::1, false
            10.10.0.0/20, 10.10.15.255, true
            10.10.0.0/20, 10.10.16.0,  false
            10.10.0.5/31, 10.10.0.4,   true
            10.10.0.5/31, 10.10.0.6,   false
            128.0.0.0/1,  200.1.1.1,   true
            128.0.0.0/1,  127.255.255.255, false
            2001:db8::/33, 2001:db8:7fff::1, true
            2001:db8::/33, 2001:db8:8000::1, false
            """)
    void containment(String cidr, String ip, boolean contained) {
        assertThat(IpBlock.parse(cidr).orElseThrow().contains(IpBlock.parseLiteral(ip).orElseThrow())).isEqualTo(contained);
    }
}
