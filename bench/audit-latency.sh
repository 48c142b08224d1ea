#!/usr/bin/env bash
# Does the background audit slow admission down? p50/p99/max of /validate at 1,000 req/s (h2load, HTTP/2, 10
# connections x 100 req/s, the rate scenario of webhook-load.sh) on `proxyguard serve` with a cluster view of 10,000
# external ServiceEntries (AuditLoadCluster: fabric8's CRUD mock API server), three ways: the audit off; audits back to
# back in the webhook's own process (--audit-interval 1s: each run judges the 10,000 entries and checks the
# PolicyReports, the next starts a second later; the chart with audit.dedicated.enabled=false); the same audits in a
# process of their own (`serve --operation audit` beside `serve --operation webhook`: the chart's default, two
# Deployments). Chart JVM settings, same certificate, same request. PIN=1 (2 cores or more) gives the webhook core 0
# to itself and puts h2load, the mock API server and the audit process on core 1, the last two at nice 19 so that
# the load generator's clock is not theirs: a model of two pods on two nodes, where the audit's CPU is never the
# webhook's. The default, PIN=0, lets everything share the machine's cores, as two pods with equal CPU requests on
# one node with no CPU to spare do.
#   bench/audit-latency.sh            # 10,000 entries, 20 s per measurement
#   bench/audit-latency.sh 2000       # other entry count; DURATION=5 for a short run
#   ROUNDS=3 bench/audit-latency.sh   # the three measurements in turn, three times (this machine's noise moves
#                                     # between minutes: compare medians of interleaved rounds, not single rows)
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
ROUNDS=${ROUNDS:-1}
PG_PORT=${PG_PORT:-18454}
METRICS_PORT=${METRICS_PORT:-18090}
AUDIT_METRICS_PORT=${AUDIT_METRICS_PORT:-18091}
PIN=${PIN:-0}
WEBHOOK_CPU=""; LOAD_CPU=""; BACKGROUND_CPU=""
[ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ] && { WEBHOOK_CPU="taskset -c 0"; LOAD_CPU="taskset -c 1"; BACKGROUND_CPU="taskset -c 1 nice -n 19"; }
TIMESTAMPED_LOG="-Duser.timezone=UTC -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"
FIXTURE=$FIXTURES/v1-create-http-proxy.json

bench_require h2load nghttp2-client
bench_require curl curl
bench_init
bench_build
bench_certs
cp=$(bench_test_classpath)

echo "loading $ENTRIES ServiceEntries into the mock API server" >&2
$BACKGROUND_CPU java -Xmx2g -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" io.proxyguard.bench.AuditLoadCluster "$bench_work/kubeconfig" "$ENTRIES" \
  >"$bench_work/cluster.log" 2>&1 &
cluster_pid=$!
bench_pids+=("$cluster_pid")
for _ in $(seq 1 3000); do [ -f "$bench_work/kubeconfig" ] && break; sleep 0.2; done
[ -f "$bench_work/kubeconfig" ] || { echo "the mock API server did not get ready" >&2; cat "$bench_work/cluster.log" >&2; exit 1; }

# p50/p99/max of the h2load per-request log $1 ("start_us status duration_us" lines) as a row named $2; $3 the rps
# column, $4 the audits column. With $5 (a file of "start_ms end_ms" audit windows, milliseconds since midnight UTC),
# only the requests that overlap a window ($6 = during) or none ($6 = between).
steal_seconds() { # CPU time the hypervisor gave other guests so far, all cores (/proc/stat), in seconds
  awk -v tick="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", $9 / tick }' /proc/stat
}

since() { # now before: the difference of two readings of a counter, one decimal
  awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a - b}'
}

audits_logged() { # log (empty: no audit runs): how many audits the log says have finished
  if [ -n "$1" ]; then grep -c 'BackgroundAudit - audit:' "$1" || true; else echo 0; fi
}

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

start_audit_process() { # log: `serve --operation audit`, audits back to back, beside the webhook
  JAVA_TOOL_OPTIONS="$CHART_JAVA_OPTS $TIMESTAMPED_LOG" POD_NAMESPACE=proxyguard $BACKGROUND_CPU java -jar "$JAR" serve \
    --operation audit --bind-address 127.0.0.1 --metrics-port "$AUDIT_METRICS_PORT" --config examples/proxyguard.yaml \
    --kubeconfig "$bench_work/kubeconfig" --audit-interval 1s >"$1" 2>&1 &
  audit_pid=$!
  bench_pids+=("$audit_pid")
}

measure() { # label where-the-audit-runs: off | webhook | own-process
  local label=$1 where=$2 log=$bench_work/serve-$1.log audit_log="" audit_process=""
  local interval=0 operation=webhook,audit
  case $where in
    webhook) interval=1s; audit_log=$log ;;
    own-process) operation=webhook; audit_log=$bench_work/audit-$1.log ;;
  esac
  # Log lines stamped with the time of day in UTC, to find when each audit ran.
  SERVE_PREFIX=$WEBHOOK_CPU SERVE_OPTIONS="--kubeconfig $bench_work/kubeconfig --operation $operation --audit-interval $interval" \
    POD_NAMESPACE=proxyguard bench_start_serve "$PG_PORT" "$log" "$TIMESTAMPED_LOG"
  local server=$bench_serve_pid
  if [ "$where" = own-process ]; then
    start_audit_process "$audit_log"
    audit_process=$audit_pid
  fi
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$METRICS_PORT/readyz" 2>/dev/null && break; sleep 0.2; done
  curl -fsS -o /dev/null "http://127.0.0.1:$METRICS_PORT/readyz" || { echo "serve did not get ready" >&2; tail "$log" >&2; exit 1; }
  $LOAD_CPU h2load -D "$JVM_WARMUP" -t 1 -c 4 -m 8 -H 'Content-Type: application/json' -d "$FIXTURE" \
    "https://127.0.0.1:$PG_PORT/validate" >/dev/null 2>&1
  if [ "$where" != off ]; then
    for _ in $(seq 1 600); do grep -q 'BackgroundAudit - audit:' "$audit_log" && break; sleep 0.2; done
    grep -q 'BackgroundAudit - audit:' "$audit_log" || { echo "no audit ran" >&2; tail "$audit_log" >&2; exit 1; }
  fi
  local before after cluster_cpu serve_cpu audit_cpu=0 steal
  before=$(audits_logged "$audit_log")
  cluster_cpu=$(cpu_seconds "$cluster_pid")
  serve_cpu=$(cpu_seconds "$server")
  steal=$(steal_seconds)
  [ -n "$audit_process" ] && audit_cpu=$(cpu_seconds "$audit_process")
  rm -f "$bench_work/$label.log" # h2load appends to its log file, and each round measures anew
  $LOAD_CPU h2load -D "$DURATION" --warm-up-time "$WARMUP" -t 1 -c "$RATE_CLIENTS" -m 1 --rps "$((RATE / RATE_CLIENTS))" \
    -H 'Content-Type: application/json' -d "$FIXTURE" --log-file "$bench_work/$label.log" \
    "https://127.0.0.1:$PG_PORT/validate" >"$bench_work/$label.out" 2>&1
  # The mock API server shares the machine: with audits back to back it answers their lists every second.
  local audit_share=""
  [ -n "$audit_process" ] && audit_share="audit process $(since "$(cpu_seconds "$audit_process")" "$audit_cpu") s, "
  echo "$label: CPU used during the measurement: serve $(since "$(cpu_seconds "$server")" "$serve_cpu") s, ${audit_share}mock API server $(
    since "$(cpu_seconds "$cluster_pid")" "$cluster_cpu") s; stolen by the hypervisor $(since "$(steal_seconds)" "$steal") s" >&2
  kill -TERM "$server"; wait "$server" || true
  if [ -n "$audit_process" ]; then kill -TERM "$audit_process"; wait "$audit_process" || true; fi
  after=$(audits_logged "$audit_log")
  local rps
  rps=$(awk '/^finished in/ {gsub(",", "", $4); printf "%.0f", $4}' "$bench_work/$label.out")
  latency_row "$bench_work/$label.log" "$label" "$rps" "$((after - before))"
  if [ "$where" != off ]; then
    # Each audit's window: it ends when its line is logged and began "in N ms" before.
    awk '/BackgroundAudit - audit:/ { split($1, t, "[:.]"); end = ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4]
           for (i = 1; i <= NF; i++) if ($i == "in" && $(i + 2) == "ms;") took = $(i + 1)
           print end - took, end }' "$audit_log" >"$bench_work/$label.windows"
    latency_row "$bench_work/$label.log" "$label-during-an-audit" "$rps" "$((after - before))" "$bench_work/$label.windows" during
    latency_row "$bench_work/$label.log" "$label-between-audits" "$rps" "$((after - before))" "$bench_work/$label.windows" between
    grep 'BackgroundAudit - audit:' "$audit_log" | tail -1 >&2 || true
  fi
}

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), pinned: $([ -n "$WEBHOOK_CPU" ] && echo "webhook core 0; h2load, mock API server and audit process (nice 19) core 1" || echo no)" >&2
for _ in $(seq 1 "$ROUNDS"); do
  measure audit-off off
  measure audit-in-the-webhook webhook
  measure audit-in-its-own-process own-process
done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)" >&2
