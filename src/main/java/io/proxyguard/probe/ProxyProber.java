package io.proxyguard.probe;

import io.proxyguard.Version;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Probes a proxy the way a workload uses it: TCP connect (plus TLS when the proxy speaks it), then
 * {@code CONNECT target HTTP/1.1}, then a TLS handshake with the target through the tunnel. Each step is
 * timed; the first failure ends the probe with its {@link Diagnosis}. Probing never throws: every outcome,
 * failures included, is a {@link ProbeResult}.
 */
public final class ProxyProber {

    private final ProbeSettings settings;

    public ProxyProber(ProbeSettings settings) {
        this.settings = settings;
    }

    /** Every configured target through each proxy, in order. */
    public List<ProbeResult> probeAll(List<ProbedProxy> proxies) {
        List<ProbeResult> results = new ArrayList<>();
        for (ProbedProxy proxy : proxies) {
            for (HostPort target : settings.targets()) {
                results.add(probe(proxy, target));
            }
        }
        return results;
    }

    public ProbeResult probe(ProbedProxy proxy, HostPort target) {
        Attempt attempt = new Attempt(proxy, target);
        try {
            return attempt.run();
        } catch (StepFailed failed) {
            return attempt.result(failed.diagnosis);
        }
    }

    /** One probe's state: the steps done so far and what they found. */
    private final class Attempt {
        private final ProbedProxy proxy;
        private final HostPort target;
        private final List<StepTiming> steps = new ArrayList<>();
        private ConnectAnswer answer;
        private CertificateSummary certificate;

        Attempt(ProbedProxy proxy, HostPort target) {
            this.proxy = proxy;
            this.target = target;
        }

        ProbeResult run() throws StepFailed {
            int timeoutMillis = Math.toIntExact(settings.timeout().toMillis());
            Socket tcp = new Socket();
            try {
                connect(tcp, timeoutMillis);
                Socket channel = settings.tlsToProxy() ? proxyTls(tcp) : tcp;
                answer = exchangeConnect(channel);
                if (!answer.tunnelOpen()) {
                    throw new StepFailed(AnswerDiagnoser.diagnose(proxy, target, answer, settings));
                }
                closeQuietly(targetTls(channel).socket());
                return result(new Diagnosis.Passed(target, certificate, settings.targetTrust().verifies()));
            } finally {
                closeQuietly(tcp);
            }
        }

        private void connect(Socket tcp, int timeoutMillis) throws StepFailed {
            long start = System.nanoTime();
            try {
                tcp.connect(proxy.address().socketAddress(), timeoutMillis);
                tcp.setSoTimeout(timeoutMillis);
                record(Step.TCP_CONNECT, start, true);
            } catch (ConnectException e) {
                record(Step.TCP_CONNECT, start, false);
                throw new StepFailed(new Diagnosis.ProxyRefused(proxy.address()));
            } catch (SocketTimeoutException e) {
                record(Step.TCP_CONNECT, start, false);
                throw new StepFailed(new Diagnosis.ProxyTimedOut(proxy.address(), Step.TCP_CONNECT, settings.timeout()));
            } catch (IOException | IllegalArgumentException e) {
                record(Step.TCP_CONNECT, start, false);
                throw new StepFailed(new Diagnosis.ProxyUnreachable(proxy.address(), e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }

        private Socket proxyTls(Socket tcp) throws StepFailed {
            long start = System.nanoTime();
            try {
                TlsHandshake.Established established = TlsHandshake.perform(tcp, proxy.address(), settings.proxyTrust(), settings.timeout());
                record(Step.PROXY_TLS, start, true);
                return established.socket();
            } catch (TlsHandshake.Failed e) {
                record(Step.PROXY_TLS, start, false);
                throw new StepFailed(new Diagnosis.ProxyTlsFailed(proxy.address(), e.problem(), e.getMessage()));
            }
        }

        private ConnectAnswer exchangeConnect(Socket channel) throws StepFailed {
            long start = System.nanoTime();
            try {
                OutputStream out = channel.getOutputStream();
                out.write(connectRequest().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                ConnectAnswer received = ConnectAnswerReader.read(channel.getInputStream());
                record(Step.CONNECT, start, received.tunnelOpen());
                return received;
            } catch (SocketTimeoutException e) {
                record(Step.CONNECT, start, false);
                throw new StepFailed(new Diagnosis.ProxyTimedOut(proxy.address(), Step.CONNECT, settings.timeout()));
            } catch (ConnectAnswerReader.NotHttp e) {
                record(Step.CONNECT, start, false);
                throw new StepFailed(new Diagnosis.NotAProxy(proxy.address(), e.getMessage()));
            } catch (IOException e) {
                record(Step.CONNECT, start, false);
                throw new StepFailed(new Diagnosis.NotAProxy(proxy.address(), "the connection failed during CONNECT: " + e.getMessage()));
            }
        }

        private TlsHandshake.Established targetTls(Socket channel) throws StepFailed {
            long start = System.nanoTime();
            try {
                TlsHandshake.Established established = TlsHandshake.perform(channel, target, settings.targetTrust(), settings.timeout());
                record(Step.TLS_HANDSHAKE, start, true);
                certificate = established.certificate();
                return established;
            } catch (TlsHandshake.Failed e) {
                record(Step.TLS_HANDSHAKE, start, false);
                certificate = e.presented();
                throw new StepFailed(new Diagnosis.TargetTlsFailed(target, e.problem(), e.getMessage(), e.presented(),
                        settings.targetTrust().description()));
            }
        }

        private String connectRequest() {
            StringBuilder request = new StringBuilder()
                    .append("CONNECT ").append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(target).append("\r\n")
                    .append("User-Agent: proxyguard-probe/").append(Version.current()).append("\r\n");
            settings.credentials().ifPresent(c -> request.append("Proxy-Authorization: ").append(c.proxyAuthorization()).append("\r\n"));
            return request.append("\r\n").toString();
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // the verdict is already known; a failed close changes nothing in it
            }
        }

        private void record(Step step, long startNanos, boolean succeeded) {
            steps.add(new StepTiming(step, java.time.Duration.ofNanos(System.nanoTime() - startNanos), succeeded));
        }

        ProbeResult result(Diagnosis diagnosis) {
            return new ProbeResult(proxy, target, steps, Optional.ofNullable(answer), Optional.ofNullable(certificate), diagnosis);
        }
    }

    /** Ends a probe at the step that failed. */
    private static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Diagnosis diagnosis;

        StepFailed(Diagnosis diagnosis) {
            super(diagnosis.code(), null, false, false);
            this.diagnosis = diagnosis;
        }
    }
}
