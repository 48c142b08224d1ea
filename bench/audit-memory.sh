#!/usr/bin/env bash
# Peak RSS of `proxyguard audit` over 20,000 objects (5,000 ServiceEntries, 5,000 Deployments, 10,000 ReplicaSet-owned
# Pods, as the API server sends them), served by fabric8's MockWebServer in pages as a real API server does
# (AuditPagingApiServer), with the chart's JVM settings, for -o json and -o policyreport. GNU time's "Maximum resident set
# size" of the audit process alone (the stand-in server runs in a JVM of its own).
#   bench/audit-memory.sh                          # 5,000 / 5,000 / 10,000
#   bench/audit-memory.sh 10000 10000 20000        # other counts: ServiceEntries, Deployments, Pods
#   BEFORE_JAR=/path/to/older/proxyguard.jar bench/audit-memory.sh   # also measure another build (e.g. one that did not page)
# Tab-separated audit-memory rows (jar, output, objects, exit code, peak RSS KiB, seconds) on stdout. BENCH_SKIP_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ "${1:-}" = --quick ] && shift
bench_require /usr/bin/time time
bench_build
bench_init
cp=$(bench_test_classpath)
objects=$(( ${1:-5000} + ${2:-5000} + ${3:-10000} ))
java -Xmx3g -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" io.proxyguard.bench.AuditPagingApiServer "$bench_work/kubeconfig" "$@" &
bench_pids+=($!)
for _ in $(seq 1 300); do [ -f "$bench_work/kubeconfig" ] && break; sleep 0.1; done
[ -f "$bench_work/kubeconfig" ] || { echo "the stand-in API server did not start" >&2; exit 1; }
measure() { # label jar output
  local start end rss code=0
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$bench_work/time" java $CHART_JAVA_OPTS -jar "$2" audit --kubeconfig "$bench_work/kubeconfig" -o "$3" \
    > "$bench_work/out" 2> "$bench_work/err" || code=$?
  end=$(date +%s.%N)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$bench_work/time")
  code=$(awk -F': ' '/Exit status/ {print $2}' "$bench_work/time")
  printf '%s: -o %s, %d objects: exit %s, peak RSS %d MiB in %.1f s (%s lines of output)%s\n' "$1" "$3" "$objects" "$code" \
    $((rss / 1024)) "$(echo "$end - $start" | bc)" "$(wc -l < "$bench_work/out")" \
    "$(grep -m1 -o 'OutOfMemoryError.*' "$bench_work/err" | sed 's/^/: /')" >&2
  printf 'audit-memory\t%s\t%s\t%d\t%s\t%d\t%.1f\n' "$1" "$3" "$objects" "$code" "$rss" "$(echo "$end - $start" | bc)"
}
if [ -n "${BEFORE_JAR:-}" ]; then measure before "$BEFORE_JAR" json; fi
measure this "$JAR" json
measure this "$JAR" policyreport
