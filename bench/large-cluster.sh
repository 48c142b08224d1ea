#!/usr/bin/env bash
# Bounded memory in a large cluster (issue 21): `proxyguard serve` with the chart's JVM settings and a cluster view
# of a cluster holding 300 ConfigMaps of 500 KB (Grafana dashboards) and 4,000 ServiceEntries, served in pages
# by PagingApiServer (src/test/java/io/proxyguard/bench: lists with limit/continue, watches open without events).
# Measures the time to a fully synced /readyz (`[+]cluster-view ok` with no "degraded"), the objects kept, and
# the peak RSS (VmHWM) and RSS at rest 5 s later; the target is a peak under 256 MiB.
#   bench/large-cluster.sh                          # 300 ConfigMaps, all of 500 KB, 4,000 ServiceEntries
#   CONFIG_MAPS=5000 LARGE=300 SERVICE_ENTRIES=10000 bench/large-cluster.sh
# Output: a tab-separated row on stdout: large-cluster, ConfigMaps, of 500 KB, ServiceEntries, ready ms,
# objects kept, peak RSS MiB, RSS at rest MiB. BENCH_SKIP_BUILD=1 skips the build; BENCH_KEEP=1 keeps the logs.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

CONFIG_MAPS=${CONFIG_MAPS:-300}
LARGE=${LARGE:-300}
SERVICE_ENTRIES=${SERVICE_ENTRIES:-4000}
PORT=${PORT:-18443}
METRICS_PORT=${METRICS_PORT:-18080}

bench_require curl curl
bench_init
bench_build
bench_certs
cp=$(bench_test_classpath)

java -Xmx2g -cp "$cp" io.proxyguard.bench.PagingApiServer "$CONFIG_MAPS" "$LARGE" "$SERVICE_ENTRIES" \
  "$bench_work/kubeconfig" 2>"$bench_work/api.log" &
api_pid=$!
bench_pids+=("$api_pid")
for _ in $(seq 1 600); do [ -s "$bench_work/kubeconfig" ] && break; kill -0 "$api_pid" || { cat "$bench_work/api.log" >&2; exit 1; }; sleep 0.1; done

SERVE_OPTIONS="--kubeconfig $bench_work/kubeconfig --cluster-view on --cluster-view-sync-wait 10m"
started=$(bench_now_ms)
bench_start_serve "$PORT" "$bench_work/serve.log"
pid=$bench_serve_pid
synced=""
for _ in $(seq 1 6000); do # 20 ms steps (and the curl), 2 minutes at least
  if curl -fsS "http://127.0.0.1:$METRICS_PORT/readyz?verbose" 2>/dev/null | grep -qx '\[+\]cluster-view ok'; then synced=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.02
done
if [ -z "$synced" ]; then
  echo "serve did not get ready with a synced view (or died): its log follows" >&2
  cat "$bench_work/serve.log" >&2
  exit 1
fi
ready_ms=$(( $(bench_now_ms) - started ))
sleep 5
kept=$(sed -n 's/.*cluster view ready.*: \([0-9]*\) objects kept.*/\1/p' "$bench_work/serve.log" | tail -1)
peak=$(bench_peak_rss_mib "$pid")
rest=$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
echo "large-cluster: $CONFIG_MAPS ConfigMaps ($LARGE of 500 KB), $SERVICE_ENTRIES ServiceEntries: synced and ready after $ready_ms ms," \
  "$kept objects kept, peak RSS $peak MiB, RSS at rest $rest MiB" >&2
printf 'large-cluster\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$CONFIG_MAPS" "$LARGE" "$SERVICE_ENTRIES" "$ready_ms" "$kept" "$peak" "$rest"
