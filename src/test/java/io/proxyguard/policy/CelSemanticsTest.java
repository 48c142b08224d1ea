package io.proxyguard.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CEL behaviours the policy relies on, checked in cel-java as cel-go (the API server's CEL) defines them:
 * if cel-java differed here, the differential test would prove nothing about the API server.
 */
class CelSemanticsTest {

    private static Object eval(String expression) throws Exception {
        return CelPolicyRunner.compile(expression).eval(Map.of());
    }

    @Test
    void aggregateLiteralsMustShareOneTypeAsKubernetesDemands() throws Exception {
        assertThatThrownBy(() -> CelPolicyRunner.compile("{'a': 1, 'b': 'x'}")).hasMessageContaining("does not compile");
        assertThatThrownBy(() -> CelPolicyRunner.compile("[1, 'x']")).hasMessageContaining("does not compile");
        assertThat(eval("{'a': dyn(1), 'b': dyn('x')}.b")).isEqualTo("x");
    }

    @Test
    void splitKeepsEmptyPartsAsGoStringsSplitDoes() throws Exception {
        assertThat(eval("'1::'.split('::')")).isEqualTo(List.of("1", ""));
        assertThat(eval("'::'.split('::')")).isEqualTo(List.of("", ""));
        assertThat(eval("':::'.split('::')")).isEqualTo(List.of("", ":"));
        assertThat(eval("''.split(',')")).isEqualTo(List.of(""));
        assertThat(eval("'a.b'.split('.')")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void matchesIsASearchUnlessAnchored() throws Exception {
        assertThat(eval("'x10.0.0.1'.matches('[0-9]+')")).isEqualTo(true);
        assertThat(eval("'x10'.matches('^([0-9]+)$')")).isEqualTo(false);
    }

    @Test
    void intParsesDecimalWithLeadingZerosAsGoParseIntDoes() throws Exception {
        assertThat(eval("int('032')")).isEqualTo(32L);
    }

    @Test
    void trimAndAsciiCaseLeaveOtherCharactersAlone() throws Exception {
        assertThat(eval("' tCp\\t'.trim().upperAscii()")).isEqualTo("TCP");
        assertThat(eval("'É'.lowerAscii()")).isEqualTo("É");
    }

    @Test
    void substringAndLastIndexOfCountCodePoints() throws Exception {
        assertThat(eval("'abcdef'.substring(0, 3)")).isEqualTo("abc");
        assertThat(eval("'a:b:c'.lastIndexOf(':')")).isEqualTo(3L);
    }
}
