package io.proxyguard.render;

import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each document of {@code helm template}'s output came from: Helm writes {@code # Source: CHART/templates/x.yaml}
 * before every document; the path after the chart's name is a file of the chart directory (a subchart's templates are
 * under {@code charts/}). Helm's error messages name templates the same way, with a line and column.
 */
final class HelmSources {

    private static final String SOURCE = "# Source: ";

    private final Path chart;
    private final NavigableMap<Integer, String> sourceByLine;

    private HelmSources(Path chart, NavigableMap<Integer, String> sourceByLine) {
        this.chart = chart;
        this.sourceByLine = sourceByLine;
    }

    /** The {@code # Source:} comments of {@code output}, by line (1-based). */
    static HelmSources of(Path chart, String output) {
        NavigableMap<Integer, String> sources = new TreeMap<>();
        int line = 0;
        for (String text : (Iterable<String>) output.lines()::iterator) {
            line++;
            if (text.startsWith(SOURCE)) {
                sources.put(line, text.substring(SOURCE.length()).trim());
            }
        }
        return new HelmSources(chart, sources);
    }

    /** The template file of the document that starts at {@code line}, when a comment above it names one. */
    Optional<String> fileOf(int line) {
        return Optional.ofNullable(sourceByLine.floorEntry(line)).map(Map.Entry::getValue).map(this::inChart);
    }

    /** A location Helm names in an error ({@code CHART/templates/x.yaml:12:5}); line and column are 0 when absent. */
    record Location(String file, int line, int column) {
    }

    /** The first template of the chart that {@code message} names, with its line and column when given. */
    static Optional<Location> locate(Path chart, String chartName, String message) {
        Matcher matcher = Pattern.compile("(?<![\\w.-])" + Pattern.quote(chartName) + "/([\\w./-]+?\\.(?:ya?ml|tpl|txt|json))(?::(\\d{1,9}))?(?::(\\d{1,9}))?")
                .matcher(message);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new Location(chart.resolve(matcher.group(1)).toString(), number(matcher.group(2)), number(matcher.group(3))));
    }

    private String inChart(String source) {
        int slash = source.indexOf('/');
        return slash < 0 ? chart.toString() : chart.resolve(source.substring(slash + 1)).toString();
    }

    private static int number(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }
}
