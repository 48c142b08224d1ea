#!/usr/bin/env bash
# Load benchmark of the admission webhook: starts the jar on loopback with a certificate from
# `proxyguard certs`, posts AdmissionReviews over TLS with h2load (HTTP/2, and HTTP/1.1 via --h1),
# and prints throughput and latency percentiles per scenario. Loopback only, bounded in time.
#
#   bench/webhook-load.sh                 # 4 scenarios, 20 s each after a 3 s warm-up
#   DURATION=10 bench/webhook-load.sh     # shorter
# Environment: DURATION (s), WARMUP (s), JVM_WARMUP (s, per path, unmeasured), PORT, METRICS_PORT, H2_CLIENTS, H2_STREAMS, H1_CLIENTS.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
JVM_WARMUP=${JVM_WARMUP:-10}
PORT=${PORT:-18443}
METRICS_PORT=${METRICS_PORT:-18080}
H2_CLIENTS=${H2_CLIENTS:-4}
H2_STREAMS=${H2_STREAMS:-8}
H1_CLIENTS=${H1_CLIENTS:-32}
JAR=target/proxyguard.jar
FIXTURES=src/test/resources/admission

command -v h2load >/dev/null || { echo "h2load is missing: run .ci/install-deps (Debian package nghttp2-client)" >&2; exit 2; }
[ -f "$JAR" ] || mvn -q -B -ntp -DskipTests package

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

java -jar "$JAR" certs --service proxyguard --namespace bench --host localhost --host 127.0.0.1 --out "$work/certs" >/dev/null 2>&1
java -jar "$JAR" serve --bind-address 127.0.0.1 --port "$PORT" --metrics-port "$METRICS_PORT" \
  --config examples/proxyguard.yaml --tls-cert "$work/certs/tls.crt" --tls-key "$work/certs/tls.key" \
  >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
curl -fsS --cacert "$work/certs/ca.crt" -H 'Content-Type: application/json' \
  --data @"$FIXTURES/v1-create-http-proxy.json" "https://localhost:$PORT/validate" | grep -q '"allowed":false' \
  || { echo "sanity check failed: /validate did not deny the HTTP proxy entry" >&2; exit 1; }

# JIT warm-up of the server on both paths, not measured: the first scenario would otherwise pay for it.
for path in /validate /mutate; do
  h2load -D "$JVM_WARMUP" -t 1 -c "$H2_CLIENTS" -m "$H2_STREAMS" -H 'Content-Type: application/json' \
    -d "$FIXTURES/v1-create-http-proxy.json" "https://127.0.0.1:$PORT$path" >/dev/null 2>&1
done

echo "proxyguard webhook load: $(nproc) cores, ${DURATION}s per scenario after ${WARMUP}s warm-up (JVM warmed ${JVM_WARMUP}s per path), loopback TLS"
printf '%-34s %10s %8s %8s %8s %8s %8s\n' scenario req/s ok errors p50_ms p90_ms p99_ms

run() { # name path fixture h2load-options...
  local name=$1 path=$2 fixture=$3; shift 3
  local log="$work/$name.log" out="$work/$name.out"
  h2load -D "$DURATION" --warm-up-time "$WARMUP" -t 1 "$@" \
    -H 'Content-Type: application/json' -d "$FIXTURES/$fixture.json" \
    --log-file "$log" "https://127.0.0.1:$PORT$path" >"$out" 2>&1 || { cat "$out" >&2; return 1; }
  local rps ok errors
  rps=$(awk '/^finished in/ {gsub(",", "", $4); print $4}' "$out")
  ok=$(awk '/^status codes:/ {print $3}' "$out")
  errors=$(awk '/^requests:/ {print $10 + $12 + $14}' "$out")
  # --log-file lines: start time (us), status, latency (us)
  sort -n -k3 "$log" | awk -v name="$name" -v rps="$rps" -v ok="$ok" -v errors="$errors" '
    { lat[NR] = $3 }
    END {
      if (NR == 0) { printf "%-34s no requests logged\n", name; exit }
      p50 = lat[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]
      p90 = lat[int(NR * 0.90) > 0 ? int(NR * 0.90) : 1]
      p99 = lat[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]
      printf "%-34s %10s %8s %8s %8.2f %8.2f %8.2f\n", name, rps, ok, errors, p50 / 1000, p90 / 1000, p99 / 1000
    }'
}

run "validate-deny  h2  c${H2_CLIENTS}x${H2_STREAMS}" /validate v1-create-http-proxy -c "$H2_CLIENTS" -m "$H2_STREAMS"
run "validate-deny  h1  c${H1_CLIENTS}" /validate v1-create-http-proxy --h1 -c "$H1_CLIENTS" -m 1
run "mutate-patch   h2  c${H2_CLIENTS}x${H2_STREAMS}" /mutate v1-create-http-proxy -c "$H2_CLIENTS" -m "$H2_STREAMS"
run "mutate-patch   h1  c${H1_CLIENTS}" /mutate v1-create-http-proxy --h1 -c "$H1_CLIENTS" -m 1

kill -TERM "$server_pid"
if wait "$server_pid"; then echo "server stopped on SIGTERM with exit code 0"; else echo "server exit code $?" >&2; exit 1; fi
server_pid=""
