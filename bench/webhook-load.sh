#!/usr/bin/env bash
# Load benchmark of the admission webhook over TLS with h2load (HTTP/2, and HTTP/1.1 via --h1), in one run:
#   1. the baseline: the same server stack (WebhookApp: Javalin, Jetty, TLS, HTTP/2) answering a constant
#      `allowed: true` without parsing or rules (src/test/java/io/proxyguard/bench/BaselineServer.java);
#   2. ProxyGuard: `java -jar target/proxyguard.jar serve` on /validate (a denial) and /mutate (a patch).
# Both servers run side by side with the chart's JVM settings, and every scenario (path, protocol, at
# saturation or at a fixed 1,000 req/s) is measured on the baseline and then on ProxyGuard, back to back,
# so that both share the machine's state of the moment. For each: throughput, latencies and the server's
# CPU time per request (from /proc, user + system), the figure least moved by a noisy machine. Peak RSS of
# each server at the end.
#
#   bench/webhook-load.sh            # full: 20 s per scenario
#   bench/webhook-load.sh --quick    # 5 s per scenario
# Output: one tab-separated row per scenario on stdout (target path protocol mode req_s ok errors p50_ms
# p99_ms max_ms cpu_us_per_request), then "rss" rows; progress on stderr. Environment: DURATION, WARMUP,
# JVM_WARMUP (s), PORT (baseline), PG_PORT, METRICS_PORT, H2_CLIENTS, H2_STREAMS, H1_CLIENTS, RATE,
# RATE_CLIENTS, PATHS (default "/validate /mutate"), PROTOCOLS (default "h2 h1"), MODES (default "saturation
# rate"), BENCH_SKIP_BUILD=1, BENCH_JAVA_OPTS (JVM options added to the chart's, for both servers).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

if [ "${1:-}" = --quick ]; then
  DURATION=${DURATION:-5}; WARMUP=${WARMUP:-1}; JVM_WARMUP=${JVM_WARMUP:-10}
fi
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
JVM_WARMUP=${JVM_WARMUP:-10}
PORT=${PORT:-18443}
PG_PORT=${PG_PORT:-18444}
METRICS_PORT=${METRICS_PORT:-18080}
H2_CLIENTS=${H2_CLIENTS:-4}
H2_STREAMS=${H2_STREAMS:-8}
H1_CLIENTS=${H1_CLIENTS:-32}
RATE=${RATE:-1000}
RATE_CLIENTS=${RATE_CLIENTS:-10}
PATHS=${PATHS:-/validate /mutate}
PROTOCOLS=${PROTOCOLS:-h2 h1}
MODES=${MODES:-saturation rate}
FIXTURE=$FIXTURES/v1-create-http-proxy.json

bench_require h2load nghttp2-client
bench_require curl curl
bench_init
bench_build
bench_certs
certs=$bench_work/certs

# Server CPU time (user + system) of process $1 so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# h2load for one scenario against one server; prints the row. Latencies come from h2load's per-request
# log (microseconds); CPU per request from the server's /proc counters read when h2load's warm-up ends
# and when it finishes, divided by the requests h2load counted in between.
scenario() { # target port pid path protocol mode
  local target=$1 port=$2 pid=$3 path=$4 protocol=$5 mode=$6
  local name="$target-${path#/}-$protocol-$mode" args=(-t 1)
  [ "$protocol" = h1 ] && args+=(--h1)
  case "$protocol-$mode" in
    h2-saturation) args+=(-c "$H2_CLIENTS" -m "$H2_STREAMS") ;;
    h1-saturation) args+=(-c "$H1_CLIENTS" -m 1) ;;
    *-rate) args+=(-c "$RATE_CLIENTS" -m 1 --rps "$((RATE / RATE_CLIENTS))") ;;
  esac
  echo "  $name" >&2
  local cpu_before cpu_after client
  h2load -D "$DURATION" --warm-up-time "$WARMUP" "${args[@]}" -H 'Content-Type: application/json' -d "$FIXTURE" \
    --log-file "$bench_work/$name.log" "https://127.0.0.1:$port$path" >"$bench_work/$name.out" 2>&1 &
  client=$!
  sleep "$WARMUP"
  cpu_before=$(cpu_ticks "$pid")
  wait "$client" || { cat "$bench_work/$name.out" >&2; return 1; }
  cpu_after=$(cpu_ticks "$pid")
  local rps ok errors
  rps=$(awk '/^finished in/ {gsub(",", "", $4); printf "%.0f", $4}' "$bench_work/$name.out")
  ok=$(awk '/^status codes:/ {print $3}' "$bench_work/$name.out")
  # failed, errored and timed-out requests plus every answer that was not 2xx
  errors=$(awk '/^requests:/ {n = $10 + $12 + $14} /^status codes:/ {n += $5 + $7 + $9} END {print n}' "$bench_work/$name.out")
  # the requests of the measured seconds (h2load starts counting after its warm-up, as the CPU reading does)
  local sent
  sent=$(awk '/^requests:/ {print $2}' "$bench_work/$name.out")
  sort -n -k3 "$bench_work/$name.log" | awk -v row="$target	$path	$protocol	$mode	$rps	$ok	$errors" \
      -v cpu="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" -v sent="$sent" '
    { lat[NR] = $3 }
    function at(q) { i = int(NR * q); return lat[i > 0 ? i : 1] / 1000 }
    END { printf "%s\t%.2f\t%.2f\t%.2f\t%.1f\n", row, at(0.50), at(0.99), lat[NR] / 1000, (sent > 0 ? cpu / hz * 1e6 / sent : 0) }'
}

# Unmeasured JIT warm-up of a path on one server: the first scenario would otherwise pay for compilation.
warm_up() { # port path
  h2load -D "$JVM_WARMUP" -t 1 -c "$H2_CLIENTS" -m "$H2_STREAMS" -H 'Content-Type: application/json' \
    -d "$FIXTURE" "https://127.0.0.1:$1$2" >/dev/null 2>&1
  h2load -D 2 -t 1 --h1 -c "$H1_CLIENTS" -H 'Content-Type: application/json' \
    -d "$FIXTURE" "https://127.0.0.1:$1$2" >/dev/null 2>&1
}

stop() { # pid expected-exit-code
  local code=0
  kill -TERM "$1"
  wait "$1" || code=$?
  [ "$code" = "$2" ] || { echo "server exit code $code after SIGTERM, expected $2" >&2; return 1; }
}

echo "webhook load: $(nproc) cores, ${DURATION}s per scenario after ${WARMUP}s warm-up, JVM warmed ${JVM_WARMUP}s per path, loopback TLS" >&2

echo "baseline (constant allowed: true on the same stack) on port $PORT" >&2
# shellcheck disable=SC2086
java $CHART_JAVA_OPTS -cp "$JAR:target/test-classes" io.proxyguard.bench.BaselineServer \
  "$PORT" "$certs/tls.crt" "$certs/tls.key" >"$bench_work/baseline.log" 2>&1 &
baseline=$!
bench_pids+=("$baseline")
bench_wait_for "$baseline" --cacert "$certs/ca.crt" -H 'Content-Type: application/json' --data @"$FIXTURE" \
  "https://localhost:$PORT/validate" || { cat "$bench_work/baseline.log" >&2; exit 1; }
curl -fsS --cacert "$certs/ca.crt" -H 'Content-Type: application/json' --data @"$FIXTURE" \
  "https://localhost:$PORT/validate" | grep -q '"allowed":true' || { echo "baseline sanity check failed" >&2; exit 1; }

echo "proxyguard serve on port $PG_PORT" >&2
bench_start_serve "$PG_PORT" "$bench_work/serve.log"
server=$bench_serve_pid
bench_wait_for "$server" "http://127.0.0.1:$METRICS_PORT/readyz" || { cat "$bench_work/serve.log" >&2; exit 1; }
curl -fsS --cacert "$certs/ca.crt" -H 'Content-Type: application/json' --data @"$FIXTURE" \
  "https://localhost:$PG_PORT/validate" | grep -q '"allowed":false' \
  || { echo "sanity check failed: /validate did not deny the HTTP proxy entry" >&2; exit 1; }

echo "JVM warm-up of both servers" >&2
for path in $PATHS; do
  warm_up "$PORT" "$path"
  warm_up "$PG_PORT" "$path"
done
for path in $PATHS; do
  for protocol in $PROTOCOLS; do
    for mode in $MODES; do
      scenario baseline "$PORT" "$baseline" "$path" "$protocol" "$mode"
      scenario proxyguard "$PG_PORT" "$server" "$path" "$protocol" "$mode"
    done
  done
done
printf 'rss\t%s\t%s\n' baseline "$(bench_peak_rss_mib "$baseline")"
printf 'rss\t%s\t%s\n' proxyguard "$(bench_peak_rss_mib "$server")"

stop "$baseline" 143 # the JVM's code for SIGTERM: the baseline has no signal handling of its own
stop "$server" 0
echo "proxyguard stopped on SIGTERM with exit code 0" >&2
