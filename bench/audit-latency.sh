#!/usr/bin/env bash
# Does the background audit slow admission down? p50/p99/max of /validate at 1,000 req/s (h2load, HTTP/2, 10
# connections x 100 req/s, the rate scenario of webhook-load.sh) on `proxyguard serve` with a cluster view of 10,000
# external ServiceEntries (AuditLoadCluster: fabric8's CRUD mock API server), first with the audit off, then with audits
# back to back (--audit-interval 1s: each run judges the 10,000 entries and checks the PolicyReports, the next
# starts a second later), chart JVM settings, same certificate, same request.
#   bench/audit-latency.sh            # 10,000 entries, 20 s per measurement
#   bench/audit-latency.sh 2000       # other entry count; DURATION=5 for a short run
# Tab-separated audit-latency rows (audit, entries, req/s, p50 ms, p99 ms, max ms, audits during the run, requests) on
# stdout; with the audit on, the requests are also split into those that overlapped an audit and those that did not.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ "${1:-}" = --quick ] && { shift; DURATION=${DURATION:-5}; }
ENTRIES=${1:-10000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
JVM_WARMUP=${JVM_WARMUP:-10}
RATE=${RATE:-1000}
RATE_CLIENTS=${RATE_CLIENTS:-10}
PG_PORT=${PG_PORT:-18454}
METRICS_PORT=${METRICS_PORT:-18090}
FIXTURE=$FIXTURES/v1-create-http-proxy.json

bench_require h2load nghttp2-client
bench_require curl curl
bench_init
bench_build
bench_certs
cp=$(bench_test_classpath)

echo "loading $ENTRIES ServiceEntries into the mock API server" >&2
java -Xmx2g -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" io.proxyguard.bench.AuditLoadCluster "$bench_work/kubeconfig" "$ENTRIES" \
  >"$bench_work/cluster.log" 2>&1 &
cluster_pid=$!
bench_pids+=("$cluster_pid")
for _ in $(seq 1 3000); do [ -f "$bench_work/kubeconfig" ] && break; sleep 0.2; done
[ -f "$bench_work/kubeconfig" ] || { echo "the mock API server did not get ready" >&2; cat "$bench_work/cluster.log" >&2; exit 1; }

# p50/p99/max of the h2load per-request log $1 ("start_us status duration_us" lines) as a row named $2; $3 the rps
# column, $4 the audits column. With $5 (a file of "start_ms end_ms" audit windows, milliseconds since midnight UTC),
# only the requests that overlap a window ($6 = during) or none ($6 = between).
cpu_seconds() { # pid: user + system CPU time the process has used so far, in seconds
  awk -v tick="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tick }' "/proc/$1/stat"
}

latency_row() { # log label rps audits [windows during|between]
  awk -v label="$2" -v rps="$3" -v audits="$4" -v windows="${5:-}" -v keep="${6:-}" '
    BEGIN { n = 0; if (windows != "") while ((getline line < windows) > 0) { split(line, w, " "); from[++n] = w[1]; to[n] = w[2] } }
    {
      if (windows != "") {
        start = ($1 / 1000) % 86400000; end = start + $3 / 1000; overlaps = 0
        for (i = 1; i <= n; i++) if (start <= to[i] && end >= from[i]) { overlaps = 1; break }
        if ((keep == "during") != overlaps) next
      }
      print $3
    }' "$1" | sort -n | awk -v row="$2	$ENTRIES	$3" -v audits="$4" '
    { lat[NR] = $1 }
    function at(q) { i = int(NR * q); return lat[i > 0 ? i : 1] / 1000 }
    END { printf "audit-latency\t%s\t%.2f\t%.2f\t%.2f\t%d\t%d\n", row, at(0.50), at(0.99), lat[NR] / 1000, audits, NR }'
}

measure() { # label audit-interval
  local label=$1 log=$bench_work/serve-$1.log
  # Log lines stamped with the time of day in UTC, to find when each audit ran.
  SERVE_OPTIONS="--kubeconfig $bench_work/kubeconfig --audit-interval $2" POD_NAMESPACE=proxyguard \
    bench_start_serve "$PG_PORT" "$log" "-Duser.timezone=UTC -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"
  local server=$bench_serve_pid
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$METRICS_PORT/readyz" 2>/dev/null && break; sleep 0.2; done
  curl -fsS -o /dev/null "http://127.0.0.1:$METRICS_PORT/readyz" || { echo "serve did not get ready" >&2; tail "$log" >&2; exit 1; }
  h2load -D "$JVM_WARMUP" -t 1 -c 4 -m 8 -H 'Content-Type: application/json' -d "$FIXTURE" \
    "https://127.0.0.1:$PG_PORT/validate" >/dev/null 2>&1
  if [ "$2" != 0 ]; then
    for _ in $(seq 1 600); do grep -q 'BackgroundAudit - audit:' "$log" && break; sleep 0.2; done
    grep -q 'BackgroundAudit - audit:' "$log" || { echo "no audit ran" >&2; tail "$log" >&2; exit 1; }
  fi
  local before after cluster_cpu serve_cpu
  before=$(grep -c 'BackgroundAudit - audit:' "$log" || true)
  cluster_cpu=$(cpu_seconds "$cluster_pid")
  serve_cpu=$(cpu_seconds "$server")
  h2load -D "$DURATION" --warm-up-time "$WARMUP" -t 1 -c "$RATE_CLIENTS" -m 1 --rps "$((RATE / RATE_CLIENTS))" \
    -H 'Content-Type: application/json' -d "$FIXTURE" --log-file "$bench_work/$label.log" \
    "https://127.0.0.1:$PG_PORT/validate" >"$bench_work/$label.out" 2>&1
  # The mock API server shares the machine: with audits back to back it answers their lists every second.
  echo "$label: CPU used during the measurement: serve $(awk -v a="$(cpu_seconds "$server")" -v b="$serve_cpu" 'BEGIN {printf "%.1f", a - b}') s, mock API server $(awk -v a="$(cpu_seconds "$cluster_pid")" -v b="$cluster_cpu" 'BEGIN {printf "%.1f", a - b}') s" >&2
  kill -TERM "$server"; wait "$server" || true
  after=$(grep -c 'BackgroundAudit - audit:' "$log" || true)
  local rps
  rps=$(awk '/^finished in/ {gsub(",", "", $4); printf "%.0f", $4}' "$bench_work/$label.out")
  latency_row "$bench_work/$label.log" "$label" "$rps" "$((after - before))"
  if [ "$2" != 0 ]; then
    # Each audit's window: it ends when its line is logged and began "in N ms" before.
    awk '/BackgroundAudit - audit:/ { split($1, t, "[:.]"); end = ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4]
           for (i = 1; i <= NF; i++) if ($i == "in" && $(i + 2) == "ms;") took = $(i + 1)
           print end - took, end }' "$log" >"$bench_work/$label.windows"
    latency_row "$bench_work/$label.log" "$label-during-an-audit" "$rps" "$((after - before))" "$bench_work/$label.windows" during
    latency_row "$bench_work/$label.log" "$label-between-audits" "$rps" "$((after - before))" "$bench_work/$label.windows" between
  fi
  grep 'BackgroundAudit - audit:' "$log" | tail -1 >&2 || true
}

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
measure audit-off 0
measure audit-back-to-back 1s
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)" >&2
