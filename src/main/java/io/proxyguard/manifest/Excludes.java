package io.proxyguard.manifest;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Globs that leave paths out of a directory walk: from {@code --exclude} and from a {@link #IGNORE_FILE} at the root
 * of the walk. A glob without a slash matches a file or directory name at any depth ({@code *.json},
 * {@code templates}); one with a slash matches the path from the root ({@code legacy/**}, {@code addons/grafana.yaml});
 * {@code --exclude} globs also match the path as reports show it ({@code k8s/legacy/**}). {@code *} stays within
 * a name, {@code **} crosses directories. An excluded directory is not entered.
 */
public final class Excludes {

    public static final String IGNORE_FILE = ".proxyguardignore";

    private final List<Glob> globs;

    private Excludes(List<Glob> globs) {
        this.globs = List.copyOf(globs);
    }

    /** A glob and whether it also matches the path as shown (command line globs) or only the path from the root. */
    private record Glob(PathMatcher matcher, boolean byName, boolean shownPathToo) {
    }

    public static Excludes none() {
        return new Excludes(List.of());
    }

    /** The {@code --exclude} globs; a glob Java cannot read is refused with its text. */
    public static Excludes of(List<String> globs) throws ManifestException {
        List<Glob> parsed = new ArrayList<>();
        for (String glob : globs) {
            parsed.add(glob(glob, true, "--exclude", 0));
        }
        return new Excludes(parsed);
    }

    /** These globs and those of {@code root/.proxyguardignore} when there is one (blank lines and {@code #} comments skipped). */
    public Excludes withIgnoreFile(Path root) throws ManifestException {
        Path file = root.resolve(IGNORE_FILE);
        if (!Files.isRegularFile(file)) {
            return this;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ManifestException(file.toString(), 0, 0, "cannot read: " + e.getMessage(), e);
        }
        List<Glob> all = new ArrayList<>(globs);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                all.add(glob(line, false, file.toString(), i + 1));
            }
        }
        return new Excludes(all);
    }

    /** True when {@code path} ({@code relative} to the walk's root) is left out. */
    public boolean excludes(Path path, Path relative) {
        String shown = path.normalize().toString();
        for (Glob glob : globs) {
            if (glob.byName() ? glob.matcher().matches(relative.getFileName())
                    : glob.matcher().matches(relative) || glob.shownPathToo() && glob.matcher().matches(Path.of(shown))) {
                return true;
            }
        }
        return false;
    }

    private static Glob glob(String text, boolean shownPathToo, String source, int line) throws ManifestException {
        if (text.startsWith("!")) {
            throw new ManifestException(source, line, 1, "'" + text + "': negation (!) is not supported; list only what to leave out", null);
        }
        String pattern = text.startsWith("/") ? text.substring(1) : text;
        pattern = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (pattern.isEmpty()) {
            throw new ManifestException(source, line, 1, "'" + text + "' is not a glob", null);
        }
        try {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            return new Glob(matcher, !pattern.contains("/"), shownPathToo);
        } catch (PatternSyntaxException e) {
            throw new ManifestException(source, line, 0, "'" + text + "' is not a glob: " + e.getDescription(), e);
        }
    }
}
