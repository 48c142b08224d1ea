package io.proxyguard.manifest;

/**
 * Input that cannot be read. It knows where: the source (file, stdin or another name), and when known the line
 * and column (1-based, 0 when unknown); {@link #problem()} says what is wrong without the place, the message
 * is {@code source:line: problem}.
 */
public class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    public ManifestException(String source, int line, int column, String problem, Throwable cause) {
        super(source + (line > 0 ? ":" + line : "") + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    public ManifestException(String source, String problem) {
        this(source, 0, 0, problem, null);
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }
}
