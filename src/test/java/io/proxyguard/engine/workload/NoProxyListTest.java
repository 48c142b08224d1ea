package io.proxyguard.engine.workload;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** NO_PROXY as curl's lib/noproxy.c reads it, and the entries curl ignores that other clients honour. */
class NoProxyListTest {

    @ParameterizedTest(name = "{0} with NO_PROXY=''{1}'' -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            api.payments.example.com  | api.payments.example.com                   | true
            API.Payments.Example.COM  | api.payments.example.com                   | true
            api.payments.example.com. | api.payments.example.com                   | true
            api.payments.example.com  | api.payments.example.com.                  | true
            api.payments.example.com  | .example.com                               | true
            api.payments.example.com  | example.com                                | true
            example.com               | .example.com                               | true
            notexample.com            | example.com                                | false
            notexample.com            | .example.com                               | false
            www.example.com           | www2.example.com,.example.net              | false
            api.payments.example.com  | *                                          | true
            api.payments.example.com  | '*,.svc'                                   | false
            api.payments.example.com  | ' *'                                       | false
            api.payments.example.com  | *.example.com                              | false
            api.payments.example.com  | api.payments.example.com:443               | false
            api.payments.example.com  | '.svc,.cluster.local,api.payments.example.com' | true
            api.payments.example.com  | '.svc, .cluster.local , api.payments.example.com' | true
            api.payments.example.com  | '.svc,,,,   ,api.payments.example.com'     | true
            api.payments.example.com  | '.svc .cluster.local,api.payments.example.com' | false
            api.payments.example.com  | ''                                         | false
            10.1.2.3                  | 10.0.0.0/8                                 | true
            10.1.2.3                  | 10.1.2.3                                   | true
            10.1.2.3                  | 10.1.2.0                                   | false
            10.1.2.3                  | 10.1.2.0/0                                 | false
            10.1.2.3                  | 10.1.2.0/33                                | false
            10.1.2.3                  | '::1/64,10.1.0.0/16'                       | true
            [2001:db8::5]             | 2001:db8::/32                              | true
            [2001:db8::5]             | '[2001:db8::5]'                            | false
            [2001:db8::5]             | 2001:db8::5                                | true
            [2001:db8::5]             | 10.0.0.0/8                                 | false
            [::1]                     | 127.0.0.1                                  | false
            api.payments.example.com  | 2001:db8::/32                              | false
            """)
    void bypassesAsCurlDoes(String name, String noProxy, boolean bypassed) {
        assertThat(NoProxyList.parse(noProxy).bypasses(name)).isEqualTo(bypassed);
    }

    @ParameterizedTest(name = "entry host {0} with NO_PROXY=''{1}'' -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            *.example.com   | .example.com            | true
            *.example.com   | example.com             | true
            *.example.com   | com                     | true
            *.example.com   | api.example.com         | true
            *.example.com   | *.example.com           | false
            *.example.com   | other.com,example.org   | false
            *.example.com   | *                       | true
            exact.host.com  | .host.com               | true
            """)
    void aWildcardHostIsReachedDirectlyWhenAnyNameUnderItIs(String entryHost, String noProxy, boolean some) {
        assertThat(NoProxyList.parse(noProxy).bypassesSomeOf(entryHost)).isEqualTo(some);
    }

    @ParameterizedTest(name = "{0}:{1} with NO_PROXY=''{2}'' -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            api.payments.example.com | 443 | api.payments.example.com:443      | api.payments.example.com:443
            api.payments.example.com | 443 | .example.com:443                  | .example.com:443
            api.payments.example.com | 80  | api.payments.example.com:443      |
            api.payments.example.com | 443 | other.example.com:443             |
            api.payments.example.com | 443 | *.example.com                     | *.example.com
            api.payments.example.com | 443 | *.other.com                       |
            *.example.com            | 443 | *.example.com                     | *.example.com
            api.payments.example.com | 443 | '[2001:db8::5]:443,2001:db8::443' |
            """)
    void findsTheEntriesCurlIgnoresButOtherClientsHonour(String host, int port, String noProxy, String entry) {
        assertThat(NoProxyList.parse(noProxy).entryCurlIgnoresFor(host, port)).isEqualTo(Optional.ofNullable(entry));
    }
}
