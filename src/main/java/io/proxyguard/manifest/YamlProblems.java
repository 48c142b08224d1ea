package io.proxyguard.manifest;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SnakeYAML's parse errors in words a YAML author uses: its token names ({@code <stream end>}, {@code '?'})
 * become what they stand for, and the construct it was reading says where it started
 * ({@code expected ',' or ']', but got the end of the file (while parsing a flow sequence that starts at line 4, column 9)}).
 */
final class YamlProblems {

    /** SnakeYAML's token names, in angle brackets or as the one character that writes them. */
    private static final Map<String, String> TOKENS = Map.ofEntries(
            Map.entry("<stream end>", "the end of the file"),
            Map.entry("<block end>", "the end of the indented block"),
            Map.entry("<block mapping start>", "the start of a mapping"),
            Map.entry("<block sequence start>", "the start of a list"),
            Map.entry("<document start>", "'---'"),
            Map.entry("<document end>", "'...'"),
            Map.entry("<scalar>", "a plain value"),
            Map.entry("<alias>", "an alias"),
            Map.entry("<anchor>", "an anchor"),
            Map.entry("<tag>", "a tag"),
            Map.entry("?", "a mapping key"),
            Map.entry(":", "':' (a mapping value)"),
            Map.entry("-", "a list item '-'"),
            Map.entry(",", "','"),
            Map.entry("[", "'['"),
            Map.entry("]", "']'"),
            Map.entry("{", "'{'"),
            Map.entry("}", "'}'"));
    private static final Pattern TOKEN = Pattern.compile("(?<=(?:expected|got|found) )(<[a-z ]+>|'[?:,\\[\\]{}-]'|[?:,\\[\\]{}-](?=$| ))");
    /** Problems whose usual cause is worth a word. */
    private static final Map<String, String> CAUSES = Map.of(
            "mapping values are not allowed here", "mapping values are not allowed here (a line indented too far, or ': ' inside an unquoted value?)",
            "found unexpected end of stream", "found the end of the file");

    private YamlProblems() {
    }

    static String describe(MarkedYAMLException e) {
        String problem = SafeYaml.oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage())
                .replace("character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)",
                        "a tab, which cannot start any token (YAML indents with spaces only)");
        problem = CAUSES.getOrDefault(problem, problem);
        StringBuilder text = new StringBuilder(TOKEN.matcher(problem).replaceAll(token -> {
            String name = token.group(1).replace("'", "");
            return Matcher.quoteReplacement(TOKENS.getOrDefault(name, token.group(1)));
        }));
        Mark start = e.getContextMark();
        if (e.getContext() != null && start != null) {
            text.append(" (").append(e.getContext()).append(" that starts at line ").append(start.getLine() + 1)
                    .append(", column ").append(start.getColumn() + 1).append(')');
        }
        return text.toString();
    }

    /** A hint for text that holds Go template actions, or nothing. */
    static String templateHint(String text) {
        return text.contains("{{")
                ? "; the file holds '{{', so it is likely a template: validate the chart it belongs to, or exclude it"
                : "";
    }
}
