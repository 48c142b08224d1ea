package io.proxyguard.chart;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value in values.yaml is documented in helm-docs style: a {@code # --} comment right above the
 * key, or above an ancestor whose whole block it documents. Only section headers (keys that merely
 * group others) may go without one.
 */
class ValuesDocumentationTest {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_-]*):(.*)$");

    @Test
    void documentsEveryValueInHelmDocsStyle() throws Exception {
        List<String> lines = Files.readAllLines(Helm.CHART.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        Deque<Key> parents = new ArrayDeque<>();

        for (int i = 0; i < lines.size(); i++) {
            Matcher key = KEY.matcher(lines.get(i));
            if (!key.matches()) {
                continue;
            }
            int indent = key.group(1).length();
            while (!parents.isEmpty() && parents.peek().indent() >= indent) {
                parents.pop();
            }
            boolean documented = hasHelmDocsComment(lines, i) || parents.stream().anyMatch(Key::documented);
            boolean section = key.group(3).isBlank() && nextKeyIndent(lines, i) > indent;
            if (!documented && !section) {
                undocumented.add(path(parents, key.group(2)) + " (line " + (i + 1) + ")");
            }
            parents.push(new Key(indent, key.group(2), hasHelmDocsComment(lines, i)));
        }

        assertThat(undocumented).as("values without a '# --' comment").isEmpty();
    }

    /** True when the comment block right above line {@code i} starts with {@code # --}. */
    private static boolean hasHelmDocsComment(List<String> lines, int i) {
        for (int j = i - 1; j >= 0 && lines.get(j).trim().startsWith("#"); j--) {
            if (lines.get(j).trim().startsWith("# --")) {
                return true;
            }
        }
        return false;
    }

    private static int nextKeyIndent(List<String> lines, int i) {
        for (int j = i + 1; j < lines.size(); j++) {
            Matcher key = KEY.matcher(lines.get(j));
            if (key.matches()) {
                return key.group(1).length();
            }
        }
        return -1;
    }

    private static String path(Deque<Key> parents, String name) {
        List<String> names = new ArrayList<>();
        parents.descendingIterator().forEachRemaining(k -> names.add(k.name()));
        names.add(name);
        return String.join(".", names);
    }

    private record Key(int indent, String name, boolean documented) {
    }
}
