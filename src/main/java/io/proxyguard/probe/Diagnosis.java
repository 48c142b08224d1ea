package io.proxyguard.probe;

import java.time.Duration;
import java.util.List;

/**
 * The verdict of one probe: passed, or exactly one reason it failed. Each kind has a stable {@link #code()}
 * (for JSON and dashboards) and a {@link #message()} that says what is wrong and what to do.
 */
public sealed interface Diagnosis {

    /** A stable identifier such as {@code proxy-denied} or {@code tls-untrusted}. */
    String code();

    /** One or two sentences: what happened, and what to do about it. */
    String message();

    default boolean passed() {
        return false;
    }

    /** The tunnel opened and the target completed a TLS handshake with a certificate we trust. */
    record Passed(HostPort target, CertificateSummary certificate, boolean verified) implements Diagnosis {
        @Override
        public String code() {
            return "ok";
        }

        @Override
        public String message() {
            return "tunnel to " + target + " open; TLS handshake " + (verified ? "verified" : "completed (not verified: --insecure)")
                    + ": " + certificate.subject();
        }

        @Override
        public boolean passed() {
            return true;
        }
    }

    /** Nothing accepted the TCP connection: the proxy is down, the port is wrong, or a firewall rejects it. */
    record ProxyRefused(HostPort proxy) implements Diagnosis {
        @Override
        public String code() {
            return "proxy-refused";
        }

        @Override
        public String message() {
            return "connection to the proxy " + proxy + " was refused: nothing listens there. Check that the proxy runs"
                    + " and that the address and port (HTTPS_PROXY, the ServiceEntry's address and port) are right.";
        }
    }

    /** A step got no answer in time: a silent drop before the connection, or a proxy that never answers CONNECT. */
    record ProxyTimedOut(HostPort proxy, Step step, Duration timeout) implements Diagnosis {
        @Override
        public String code() {
            return step == Step.TCP_CONNECT ? "proxy-connect-timeout" : "proxy-answer-timeout";
        }

        @Override
        public String message() {
            String limit = ProbeDurations.format(timeout);
            if (step == Step.TCP_CONNECT) {
                return "no answer from " + proxy + " within " + limit + ": the address is wrong, the proxy is down, or a"
                        + " firewall or NetworkPolicy drops the traffic.";
            }
            return "the proxy " + proxy + " accepted the connection but did not answer CONNECT within " + limit
                    + ": is this port an HTTP proxy? (a proxy that expects TLS needs --tls)";
        }
    }

    /** The proxy's address cannot be reached at all (unknown host, no route). */
    record ProxyUnreachable(HostPort proxy, String cause) implements Diagnosis {
        @Override
        public String code() {
            return "proxy-unreachable";
        }

        @Override
        public String message() {
            return "cannot reach the proxy " + proxy + ": " + cause + ".";
        }
    }

    /** {@code --tls} was given and the TLS handshake with the proxy itself failed. */
    record ProxyTlsFailed(HostPort proxy, TlsProblem problem, String detail) implements Diagnosis {
        @Override
        public String code() {
            return "proxy-tls-" + problem.code();
        }

        @Override
        public String message() {
            return "TLS to the proxy " + proxy + " failed: " + problem.summary() + " (" + detail + ")."
                    + (problem == TlsProblem.UNTRUSTED ? " Pass --proxy-ca FILE with the CA that issued the proxy's certificate." : "")
                    + (problem == TlsProblem.PROTOCOL_ERROR || problem == TlsProblem.HANDSHAKE_TIMEOUT
                    ? " Does the proxy speak TLS on this port? Leave out --tls for a plain HTTP proxy." : "");
        }
    }

    /** Something answered, but not as an HTTP proxy: it closed the connection or sent bytes that are not HTTP. */
    record NotAProxy(HostPort proxy, String detail) implements Diagnosis {
        @Override
        public String code() {
            return "not-a-proxy";
        }

        @Override
        public String message() {
            return "the peer at " + proxy + " did not answer as an HTTP proxy: " + detail + ".";
        }
    }

    /** 403: the proxy's access rules refuse this CONNECT. */
    record ProxyDenied(HostPort target, ConnectAnswer answer) implements Diagnosis {
        @Override
        public String code() {
            return "proxy-denied";
        }

        @Override
        public String message() {
            String hint = target.port() == 443 ? " Ask the proxy's owners to allow CONNECT to " + target + "."
                    : " Squid's stock rule `http_access deny CONNECT !SSL_ports` allows CONNECT only to port 443: add "
                    + target.port() + " to `acl SSL_ports port ...` in squid.conf, or use port 443.";
            return "the proxy refused CONNECT " + target + " with " + answer.describe() + ": its access rules deny this target." + hint;
        }
    }

    /** 407: the proxy wants credentials, or refused the ones sent. */
    record ProxyAuthRequired(ConnectAnswer answer, String user) implements Diagnosis {
        @Override
        public String code() {
            return user == null ? "proxy-auth-required" : "proxy-auth-rejected";
        }

        @Override
        public String message() {
            String challenge = answer.header("Proxy-Authenticate").map(c -> ", Proxy-Authenticate: " + c).orElse("");
            if (user == null) {
                return "the proxy requires authentication (" + answer.statusLine() + challenge + "). Probe with --proxy-user USER"
                        + " and the password in PROXYGUARD_PROXY_PASSWORD; workloads need the credentials in HTTPS_PROXY"
                        + " (http://USER:PASSWORD@IP:PORT).";
            }
            return "the proxy rejected the credentials of user '" + user + "' (" + answer.statusLine() + challenge
                    + "). Check the user name and PROXYGUARD_PROXY_PASSWORD.";
        }
    }

    /**
     * An Envoy sidecar answered the CONNECT itself: the proxy's port is treated as HTTP in the mesh, so
     * the sidecar looks for an HTTP route, finds none and says {@code 404 NR route_not_found}.
     */
    record SidecarAnswered(ProbedProxy proxy, ConnectAnswer answer, List<String> evidence) implements Diagnosis {
        public SidecarAnswered {
            evidence = List.copyOf(evidence);
        }

        @Override
        public String code() {
            return "sidecar-answered";
        }

        @Override
        public String message() {
            return "an Envoy sidecar, not the proxy, answered the CONNECT (" + answer.statusLine() + "; "
                    + String.join("; ", evidence) + "). This is the PG101 symptom: the ServiceEntry for " + proxy.display()
                    + " gives the port an HTTP-family protocol (or none, which means sniffing), so the sidecar handles"
                    + " CONNECT as an HTTP request with no route. Set `protocol: TCP` on that port of the ServiceEntry"
                    + " (`proxyguard validate` finds it and `--fix` corrects it).";
        }
    }

    /** 502, 503 or 504: the proxy accepted the CONNECT but could not reach the target. */
    record UpstreamFailed(HostPort target, ConnectAnswer answer) implements Diagnosis {
        @Override
        public String code() {
            return "upstream-failed";
        }

        @Override
        public String message() {
            return "the proxy could not reach " + target + " (" + answer.describe() + "). Check the target's name and"
                    + " port, and the proxy's own DNS and outbound access.";
        }
    }

    /** Any other status: the proxy did not open the tunnel, for a reason the probe has no special advice on. */
    record UnexpectedStatus(HostPort target, ConnectAnswer answer) implements Diagnosis {
        @Override
        public String code() {
            return "unexpected-status";
        }

        @Override
        public String message() {
            return "the proxy answered CONNECT " + target + " with " + answer.describe() + " instead of 200: no tunnel.";
        }
    }

    /** The tunnel opened but the TLS handshake with the target through it failed. */
    record TargetTlsFailed(HostPort target, TlsProblem problem, String detail, CertificateSummary presented, String trustSource)
            implements Diagnosis {
        @Override
        public String code() {
            return "tls-" + problem.code();
        }

        @Override
        public String message() {
            String base = "the tunnel to " + target + " opened, but TLS with the target failed: " + problem.summary();
            String shown = presented == null ? "" : "; it presented " + presented.describe();
            return base + shown + ". " + advice();
        }

        private String advice() {
            return switch (problem) {
                case UNTRUSTED -> "Nothing in " + trustSource + " issued it. If the proxy inspects TLS it re-signs"
                        + " certificates with its own CA: pass that CA with --ca FILE.";
                case EXPIRED -> "The target (or an inspecting proxy) serves an expired certificate.";
                case HOSTNAME_MISMATCH -> "The certificate does not name " + target.host()
                        + ": the tunnel may lead to another server than intended.";
                case HANDSHAKE_TIMEOUT -> "Does the target speak TLS on port " + target.port() + "? (" + detail + ")";
                case CONNECTION_CLOSED -> "The target or the proxy closed the tunnel (" + detail + ").";
                case PROTOCOL_ERROR -> "(" + detail + ")";
            };
        }
    }
}
