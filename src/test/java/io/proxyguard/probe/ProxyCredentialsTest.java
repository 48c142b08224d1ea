package io.proxyguard.probe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyCredentialsTest {

    @Test
    void buildsBasicProxyAuthorizationAsRfc7617Shows() {
        assertThat(new ProxyCredentials("Aladdin", "open sesame").proxyAuthorization())
                .isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    @Test
    void redactsPasswordAndItsBase64TokenFromAnyText() {
        ProxyCredentials credentials = new ProxyCredentials("Aladdin", "open sesame");

        String redacted = credentials.redact("sent Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== for open sesame");

        assertThat(redacted).isEqualTo("sent Proxy-Authorization: Basic **** for ****");
    }

    @Test
    void neverShowsThePasswordInToString() {
        assertThat(new ProxyCredentials("alice", "hunter2")).hasToString("ProxyCredentials[user=alice, password=****]");
    }

    @Test
    void rejectsUserWithColonAndEmptyPassword() {
        assertThatThrownBy(() -> new ProxyCredentials("a:b", "x")).hasMessageContaining("no ':'");
        assertThatThrownBy(() -> new ProxyCredentials("alice", "")).hasMessageContaining("empty");
    }
}
