package io.proxyguard.manifest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafeYamlTest {

    @Test
    void multiDocumentYamlKeepsEachDocumentsFirstLine() throws Exception {
        List<SafeYaml.Document> documents = SafeYaml.readDocuments("a: 1\n---\n# comment\nb: 2\n---\n---\nc: 3\n", "f.yaml");

        assertThat(documents).extracting(SafeYaml.Document::line).containsExactly(1, 4, 7);
    }

    @Test
    void refusesAnAliasBomb() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
        }
        assertThatThrownBy(() -> SafeYaml.readAll(bomb.toString(), "bomb.yaml"))
                .isInstanceOf(ManifestException.class).hasMessageStartingWith("bomb.yaml");
    }

    @Test
    void expandsAnchorsAliasesAndMergeKeysAsKubectlDoes() throws Exception {
        var tree = SafeYaml.readOne("""
                base: &port {number: 3128, name: tcp}
                ports: [*port]
                merged:
                  <<: *port
                  name: override
                flags: [yes, off, "on", 0x10, 010, 1_000, 1.5, ~]
                """, "anchors.yaml");

        assertThat(tree.at("/ports/0/number").asInt()).isEqualTo(3128);
        assertThat(tree.at("/merged/number").asInt()).isEqualTo(3128);
        assertThat(tree.at("/merged/name").asText()).isEqualTo("override");
        assertThat(tree.get("flags").toString()).isEqualTo("[true,false,\"on\",16,8,1000,1.5,null]");
    }

    @Test
    void refusesAnAliasBombThatStaysUnderTheAliasLimit() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append("]\n");
        }
        assertThatThrownBy(() -> SafeYaml.readAll(bomb.toString(), "bomb.yaml"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("bomb.yaml").hasMessageContaining("nodes");
    }

    @Test
    void readsJson() throws Exception {
        assertThat(SafeYaml.readOne("{\"kind\":\t\"ServiceEntry\", \"n\": [1, 2]}", "f.json").toString())
                .isEqualTo("{\"kind\":\"ServiceEntry\",\"n\":[1,2]}");
    }

    @Test
    void refusesDeepNesting() {
        String deep = "[".repeat(500) + "]".repeat(500);
        assertThatThrownBy(() -> SafeYaml.readAll(deep, "deep.yaml")).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("deep.yaml");
    }

    @Test
    void refusesDuplicateKeys() {
        assertThatThrownBy(() -> SafeYaml.readAll("a: 1\na: 2\n", "dup.yaml")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("dup.yaml:");
    }

    @Test
    void writesYamlWithoutNeedlessQuotesButKeepsStringsStrings() throws Exception {
        String yaml = SafeYaml.write(SafeYaml.readOne("a: \"true\"\nb: \"3128\"\nc: 3128\nd: text\n", "f"));

        assertThat(yaml).isEqualTo("---\na: \"true\"\nb: \"3128\"\nc: 3128\nd: text\n");
        assertThat(SafeYaml.readOne(yaml, "again")).isEqualTo(SafeYaml.readOne("a: \"true\"\nb: \"3128\"\nc: 3128\nd: text\n", "f"));
    }

    @Test
    void flowStyleYamlThatStartsWithABraceIsReadAsYaml() throws Exception {
        assertThat(SafeYaml.readOne("{kind: ConfigMap, data: {mode: strict}}\n", "flow.yaml").toString())
                .isEqualTo("{\"kind\":\"ConfigMap\",\"data\":{\"mode\":\"strict\"}}");
    }

    @Test
    void aBraceThatIsNeitherJsonNorYamlIsAYamlErrorInAYamlFileAndAJsonErrorInAJsonFile() {
        String template = "{{- if .Values.enabled }}\nkind: Service\n{{- end }}\n";

        assertThatThrownBy(() -> SafeYaml.readAll(template, "t.yaml")).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.problem()).startsWith("invalid YAML: expected the node content, but found a list item '-'")
                    .endsWith("the file holds '{{', so it is likely a template: validate the chart it belongs to, or exclude it");
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isEqualTo(3);
        });
        assertThatThrownBy(() -> SafeYaml.readAll("{\"a\": 1,}", "t.json")).isInstanceOfSatisfying(ManifestException.class,
                e -> assertThat(e.problem()).startsWith("invalid JSON: "));
    }

    @Test
    void yamlErrorsSayWhatWasFoundWhereAndWhatWasBeingRead() {
        assertThatThrownBy(() -> SafeYaml.readAll("a: 1\n\tb: 2\n", "tab.yaml")).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.problem()).isEqualTo("invalid YAML: found a tab, which cannot start any token (YAML indents with spaces only)");
            assertThat(List.of(e.line(), e.column())).containsExactly(2, 1);
        });
        assertThatThrownBy(() -> SafeYaml.readAll("a:\n  - x\n  y: 2\n", "mixed.yaml")).isInstanceOfSatisfying(ManifestException.class,
                e -> assertThat(e.getMessage()).isEqualTo("mixed.yaml:3: invalid YAML: expected the end of the indented block, "
                        + "but found a mapping key (while parsing a block collection that starts at line 2, column 3)"));
        assertThatThrownBy(() -> SafeYaml.readAll("a: 1\nb: 2\na: 3\n", "dup.yaml")).isInstanceOfSatisfying(ManifestException.class,
                e -> assertThat(List.of(e.line(), e.column())).containsExactly(3, 1));
    }
}
