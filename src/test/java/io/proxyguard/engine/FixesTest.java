package io.proxyguard.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.zjsonpatch.JsonPatch;
import io.proxyguard.engine.model.InvalidObjectException;
import io.proxyguard.engine.model.KubeObject;
import io.proxyguard.engine.view.ClusterView;
import io.proxyguard.engine.view.IndexedClusterView;
import io.proxyguard.manifest.ManifestDocument;
import io.proxyguard.manifest.ManifestException;
import io.proxyguard.manifest.ManifestReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.util.List;

import static io.proxyguard.engine.Fixtures.guideSpec;
import static org.assertj.core.api.Assertions.assertThat;

/** Fixes: the patch applies to the original, gives the fixed object, and leaves nothing fixable behind. */
class FixesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PolicyEngine engine = new PolicyEngine(Fixtures.exampleConfig());

    static List<KubeObject> brokenExamples() throws ManifestException {
        return new ManifestReader(InputStream.nullInputStream()).read(List.of("examples/broken")).stream()
                .flatMap(d -> d.objects().stream()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenExamples")
    void patchAppliesAndLeavesNothingFixable(KubeObject example) throws InvalidObjectException {
        Decision decision = engine.evaluate(example, ClusterView.EMPTY);

        JsonNode patched = JsonPatch.apply(decision.patch(), example.json());
        assertThat(patched).isEqualTo(decision.fixed());
        assertThat(decision.patch()).allSatisfy(op -> assertThat(op.get("op").asText()).isIn("add", "replace"));
        Decision again = engine.evaluate(KubeObject.of((com.fasterxml.jackson.databind.node.ObjectNode) patched), ClusterView.EMPTY);
        assertThat(again.findings()).noneMatch(f -> f.fix() != null);
        assertThat(again.isPatched()).isFalse();
    }

    @Test
    void http_protocol_patch_is_one_replace() throws Exception {
        KubeObject entry = Fixtures.serviceEntry("v1", "p", "", guideSpec().replace("protocol: TCP", "protocol: HTTP"));

        Decision decision = engine.evaluate(entry, ClusterView.EMPTY);

        assertThat(decision.patch()).isEqualTo(JSON.readTree(
                "[{\"op\":\"replace\",\"path\":\"/spec/ports/0/protocol\",\"value\":\"TCP\"}]"));
        assertThat(decision.appliedFixes()).map(f -> f.fix().summary()).containsExactly("port 3128 protocol HTTP -> TCP");
    }

    @Test
    void unset_protocol_is_added_and_missing_address_comes_from_config() throws Exception {
        KubeObject entry = Fixtures.serviceEntry("v1", "p", "", guideSpec()
                .replace("  protocol: TCP\n", "").replace("addresses:\n- 10.10.0.5/32\n", ""));

        Decision decision = engine.evaluate(entry, ClusterView.EMPTY);

        assertThat(decision.patch()).containsExactlyInAnyOrderElementsOf(JSON.readTree("""
                [{"op":"add","path":"/spec/ports/0/protocol","value":"TCP"},
                 {"op":"add","path":"/spec/addresses","value":["10.10.0.5/32"]}]"""));
    }

    @Test
    void ipv6_bare_address_gets_128() throws Exception {
        KubeObject entry = Fixtures.serviceEntry("v1beta1", "p", "", guideSpec().replace("10.10.0.5/32", "\"2001:db8::5\""));

        Decision decision = engine.evaluate(entry, ClusterView.EMPTY);

        assertThat(decision.patch()).isEqualTo(JSON.readTree(
                "[{\"op\":\"replace\",\"path\":\"/spec/addresses/0\",\"value\":\"2001:db8::5/128\"}]"));
    }

    @Test
    void dns_resolution_and_bare_ip_are_fixed_in_two_rounds() throws Exception {
        KubeObject entry = Fixtures.serviceEntry("v1", "p", "", guideSpec()
                .replace("resolution: NONE", "resolution: DNS").replace("10.10.0.5/32", "10.10.0.5"));

        Decision decision = engine.evaluate(entry, ClusterView.EMPTY);

        assertThat(decision.fixed().at("/spec/resolution").asText()).isEqualTo("NONE");
        assertThat(decision.fixed().at("/spec/addresses/0").asText()).isEqualTo("10.10.0.5/32");
        assertThat(decision.appliedFixes()).map(Finding::ruleId).containsExactly("PG105", "PG102");
    }

    @Test
    void fields_the_model_does_not_know_survive_the_fix() throws Exception {
        KubeObject entry = Fixtures.serviceEntry("v1", "p", "", guideSpec().replace("protocol: TCP", "protocol: HTTP")
                + "futureField:\n  keep: me\n");
        ((com.fasterxml.jackson.databind.node.ObjectNode) entry.json()).putObject("status").put("observedGeneration", 3);

        Decision decision = engine.evaluate(entry, ClusterView.EMPTY);

        assertThat(decision.fixed().at("/spec/futureField/keep").asText()).isEqualTo("me");
        assertThat(decision.fixed().at("/status/observedGeneration").asInt()).isEqualTo(3);
        assertThat(decision.patch()).hasSize(1);
    }

    @Test
    void no_fix_for_a_missing_address_when_the_proxy_is_unknown() throws Exception {
        PolicyEngine withoutProxies = new PolicyEngine(Fixtures.config("proxyPorts: [3128]\n"));
        KubeObject entry = Fixtures.serviceEntry("v1", "p", "", guideSpec().replace("addresses:\n- 10.10.0.5/32\n", ""));

        Decision decision = withoutProxies.evaluate(entry, ClusterView.EMPTY);

        assertThat(decision.denials()).extracting(Finding::ruleId).containsExactly("PG104");
        assertThat(decision.isPatched()).isFalse();
        assertThat(decision.fixed()).isEqualTo(entry.json());
    }

    @Test
    void no_resolution_fix_when_endpoints_forbid_none() throws Exception {
        KubeObject entry = Fixtures.serviceEntry("v1", "p", "", guideSpec().replace("resolution: NONE", "resolution: DNS")
                .replace("addresses:\n- 10.10.0.5/32\n", "") + "endpoints:\n- address: proxy.corp.example\n");

        Decision decision = engine.evaluate(entry, ClusterView.EMPTY);

        assertThat(decision.findings()).filteredOn(f -> f.ruleId().equals("PG105"))
                .singleElement().satisfies(f -> assertThat(f.fix()).isNull());
    }

    @Test
    void clean_examples_get_no_patch() throws Exception {
        List<ManifestDocument> documents = new ManifestReader(InputStream.nullInputStream()).read(List.of("examples/clean"));
        // the clean examples are one cluster: a namespace without injection, a Sidecar, a mesh ConfigMap, ...
        ClusterView view = io.proxyguard.engine.view.IndexedClusterView.of(
                documents.stream().flatMap(d -> d.objects().stream()).toList(), engine.detector());
        for (ManifestDocument document : documents) {
            for (KubeObject object : document.objects()) {
                Decision decision = engine.evaluate(object, view);
                assertThat(decision.findings()).as(document.source()).isEmpty();
                assertThat(decision.isPatched()).isFalse();
            }
        }
    }
}
