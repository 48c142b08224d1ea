package io.proxyguard.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The small versions of {@code bench/availability.sh}, run as the bench runs them, on the packaged jar: a burst of
 * 256 concurrent HTTP/2 streams against one replica (cold, then warm), and a rolling replacement of two replicas
 * behind HAProxy under HTTP/2 and HTTP/1.1 load. Zero failures: every request h2load sent got a 2xx (no 429, no
 * 5xx, none lost), and in the rollout the replicas answered exactly as many reviews as h2load got 2xx. The rows,
 * with the number of requests sent, are printed to the test's output. Needs h2load and HAProxy
 * ({@code .ci/install-deps}); their absence fails the test with that command.
 */
class AvailabilityIT {

    private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final long TIMEOUT_MINUTES = 10;
    private static final Pattern ANSWERED = Pattern.compile("replicas answered (\\d+) reviews");

    @Test
    void aBurstOf256StreamsIsAnsweredInFullColdAndWarm() throws Exception {
        List<Row> rows = run("burst");

        assertThat(rows).extracting(Row::scenario).containsExactly("burst-cold", "burst-warm");
        for (Row row : rows) {
            assertThat(row.sent()).as(row.line()).isPositive();
            assertThat(row.failed()).as("failed: %s", row.line()).isZero();
            assertThat(row.status4xx()).as("4xx (429: refused): %s", row.line()).isZero();
            assertThat(row.status5xx()).as("5xx: %s", row.line()).isZero();
            assertThat(row.refused()).as("refused in /metrics: %s", row.line()).isEqualTo("0");
            assertThat(row.cut()).as("only the streams in flight when h2load stopped: %s", row.line()).isBetween(0L, 256L);
            assertThat(row.answered()).as(row.line()).isEqualTo(row.sent() - row.cut());
        }
    }

    @Test
    void aRollingReplacementOfTwoReplicasBehindHaproxyLosesNoRequest() throws Exception {
        List<Row> rows = run("rollout");

        assertThat(rows).extracting(Row::protocol).containsExactly("h2", "h1");
        long answeredByClients = 0;
        for (Row row : rows) {
            assertThat(row.sent()).as(row.line()).isPositive();
            assertThat(row.failed()).as("failed: %s", row.line()).isZero();
            assertThat(row.status4xx() + row.status5xx()).as("4xx and 5xx: %s", row.line()).isZero();
            assertThat(row.answered()).as("every request sent answered 2xx: %s", row.line()).isEqualTo(row.sent());
            answeredByClients += row.answered();
        }
        Matcher answeredByReplicas = ANSWERED.matcher(rows.get(0).note());
        assertThat(answeredByReplicas.find()).as(rows.get(0).note()).isTrue();
        assertThat(Long.parseLong(answeredByReplicas.group(1))).as("reviews the replicas answered, against the clients' 2xx")
                .isEqualTo(answeredByClients);
    }

    /** Runs one scenario of the script in its CI size and returns its rows. */
    private static List<Row> run(String scenario) throws Exception {
        for (String tool : List.of("h2load", "haproxy")) {
            Process which = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
            assertThat(which.waitFor()).as("%s is not installed: run .ci/install-deps first", tool).isZero();
        }
        Path out = Files.createTempFile("availability", ".tsv");
        Path err = Files.createTempFile("availability", ".log");
        ProcessBuilder builder = new ProcessBuilder("bench/availability.sh", "--ci").directory(REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.put("SCENARIOS", scenario);
        env.put("BENCH_SKIP_BUILD", "1");
        env.put("BASE_PORT", String.valueOf(freePortRun(20)));
        Process process = builder.start();
        try {
            assertThat(process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)).as("bench/availability.sh --ci within %d minutes", TIMEOUT_MINUTES).isTrue();
            String log = Files.readString(err, StandardCharsets.UTF_8);
            String rows = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println("bench/availability.sh --ci, " + scenario + ":\n" + rows + log);
            assertThat(process.exitValue()).as(log).isZero();
            return rows.lines().filter(l -> !l.isBlank()).map(Row::parse).toList();
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The first of {@code count} consecutive loopback ports that are free now, picked at random in 20000..29999. */
    private static int freePortRun(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + ThreadLocalRandom.current().nextInt(500) * 20;
            List<ServerSocket> probes = new ArrayList<>();
            try {
                for (int port = base; port < base + count; port++) {
                    probes.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                }
                return base;
            } catch (IOException taken) {
                // try another run of ports
            } finally {
                for (ServerSocket probe : probes) {
                    probe.close();
                }
            }
        }
        throw new IOException("no run of " + count + " free loopback ports found");
    }

    /** One row of the script's output. */
    private record Row(String line, String scenario, String protocol, long sent, long answered, long failed, long cut,
                       long status4xx, long status5xx, String refused, String note) {

        static Row parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 13) {
                throw new AssertionError("not a row of bench/availability.sh: " + Arrays.toString(f));
            }
            return new Row(line, f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                    Long.parseLong(f[6]), Long.parseLong(f[7]), f[8], f[12]);
        }
    }
}
