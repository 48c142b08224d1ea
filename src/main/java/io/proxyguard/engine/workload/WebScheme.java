package io.proxyguard.engine.workload;

import java.util.List;

/**
 * The kind of URL an HTTP client builds for a ServiceEntry port, and so the variables it takes its proxy from, in
 * curl's order (the first one set and not empty wins): {@code https_proxy}, {@code HTTPS_PROXY}, then
 * {@code all_proxy}, {@code ALL_PROXY} for https; {@code http_proxy}, then {@code all_proxy}, {@code ALL_PROXY} for
 * http. curl never reads {@code HTTP_PROXY} in upper case (a guard against CGI, where HTTP_* variables come from
 * request headers), so a workload that only sets it is taken as sending http requests directly.
 */
public enum WebScheme {
    HTTPS(List.of("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")),
    HTTP(List.of("http_proxy", "all_proxy", "ALL_PROXY"));

    private final List<String> variables;

    WebScheme(List<String> variables) {
        this.variables = variables;
    }

    /** The variables read for this scheme, first one first. */
    public List<String> variables() {
        return variables;
    }
}
