package io.proxyguard.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hostile manifests for the CLI: real multi-document manifests with fields changed and bytes damaged
 * (as {@link HostileJson} does for JSON), plus what only YAML can do: alias bombs ("billion laughs"),
 * self-referencing anchors, merge keys, deep block and flow nesting, tags, tabs.
 */
public final class HostileYaml {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(1_000_000).build()).build());

    private HostileYaml() {
    }

    /** Multi-document manifests built from {@code bases} (each a list of documents), changed and damaged. */
    public static Arbitrary<byte[]> damagedManifests(List<List<JsonNode>> bases) {
        return Combinators.combine(Arbitraries.of(bases), HostileJson.fieldChanges(4), Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.of(HostileJson.ByteDamage.class), Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(0, 99), Arbitraries.of(true, false))
                .as((documents, changes, which, damage, where, pick, asJson) -> {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < documents.size(); i++) {
                        JsonNode copy = documents.get(i).deepCopy();
                        if (i == which % documents.size()) {
                            changes.forEach(c -> c.applyTo(copy));
                        }
                        text.append(asJson ? new String(HostileJson.bytes(copy), StandardCharsets.UTF_8) + "\n" : yaml(copy));
                    }
                    return HostileJson.damage(text.toString().getBytes(StandardCharsets.UTF_8), damage, where, pick);
                });
    }

    /** Documents that only a YAML reader can be attacked with. */
    public static Arbitrary<byte[]> yamlAttacks() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.integers().between(2, 12), Arbitraries.integers().between(2, 12)).as(HostileYaml::aliasBomb),
                Arbitraries.integers().between(50, 20_000).map(HostileYaml::blockNesting),
                Arbitraries.integers().between(50, 20_000).map(HostileYaml::flowNesting),
                Arbitraries.of(
                        "a: &a [*a]\n",
                        "&a a: *a\n",
                        "base: &b {hosts: [x]}\nspec:\n  <<: *b\n  <<: *b\n",
                        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: !!python/object:os.system {name: x}\n",
                        "!!java.net.URL [\"http://10.0.0.1/\"]\n",
                        "kind: ServiceEntry\n\tspec: {}\n",
                        "? [a, b]\n: c\n",
                        "a: 1\na: 2\n",
                        "--- !<tag:yaml.org,2002:binary> R0lGODlh\n",
                        "%YAML 9.9\n---\na: 1\n",
                        "*undefined\n",
                        "kind: ServiceEntry\nspec:\n  ports:\n  - number: 0x10000000000000000000000\n",
                        "kind: ServiceEntry\nspec:\n  ports:\n  - number: .inf\n    protocol: .nan\n")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code width} lists of {@code width} aliases, {@code depth} levels deep: width^depth nodes when expanded. */
    static byte[] aliasBomb(int width, int depth) {
        StringBuilder text = new StringBuilder("a0: &a0 [\"lol\"]\n");
        for (int level = 1; level <= depth; level++) {
            text.append('a').append(level).append(": &a").append(level).append(" [");
            for (int i = 0; i < width; i++) {
                text.append(i == 0 ? "" : ", ").append("*a").append(level - 1);
            }
            text.append("]\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] blockNesting(int depth) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            text.append(" ".repeat(Math.min(i, 200))).append("a:\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] flowNesting(int depth) {
        return ("kind: ServiceEntry\nspec: " + "[".repeat(depth) + "]".repeat(depth) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String yaml(JsonNode document) {
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
