#!/usr/bin/env bash
# Start-up and the offline validator:
#   ready     time from `java -jar target/proxyguard.jar serve` (chart JVM settings) to the first 200 from
#             /readyz, polled every 20 ms; the median of RUNS starts; then the same with an AppCDS archive
#             (-XX:SharedArchiveFile) that this script makes first with one training start
#             (-XX:ArchiveClassesAtExit, JDK 13+), kept in target/bench/proxyguard-serve.jsa;
#   validate  `proxyguard validate` over a generated directory of 10,000 manifests (9,000 ServiceEntries,
#             1,000 Deployments; findings PG101 and PG107) with the JVM's defaults: wall time and peak RSS from
#             /usr/bin/time -v, the median of VALIDATE_RUNS runs.
#   bench/startup.sh [--quick]
# Output: tab-separated rows on stdout (ready and ready-cds: median ms, all runs; validate: wall_s rss_mib exit_code). BENCH_SKIP_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

RUNS=${RUNS:-5}
VALIDATE_RUNS=${VALIDATE_RUNS:-3}
if [ "${1:-}" = --quick ]; then RUNS=3; VALIDATE_RUNS=1; fi
PORT=${PORT:-18443}
METRICS_PORT=${METRICS_PORT:-18080}
MANIFESTS=${MANIFESTS:-10000}

bench_require curl curl
[ -x /usr/bin/time ] || { bench_require apt-get apt; apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }; }
bench_init
bench_build
bench_certs

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

ready_once() { # extra JVM options
  local started pid ms
  started=$(bench_now_ms)
  bench_start_serve "$PORT" "$bench_work/serve.log" "${1:-}"
  pid=$bench_serve_pid
  bench_wait_for "$pid" "http://127.0.0.1:$METRICS_PORT/readyz" || { cat "$bench_work/serve.log" >&2; exit 1; }
  ms=$(( $(bench_now_ms) - started ))
  kill -TERM "$pid"; wait "$pid" || true
  echo "$ms"
}

echo "ready: $RUNS starts" >&2
for _ in $(seq 1 "$RUNS"); do ready_once; done >"$bench_work/ready.txt"
printf 'ready\t%s\t%s\n' "$(median <"$bench_work/ready.txt")" "$(sort -n "$bench_work/ready.txt" | tr '\n' ' ')"

archive=target/bench/proxyguard-serve.jsa
mkdir -p target/bench
rm -f "$archive"
echo "ready with AppCDS: one training start writes $archive, then $RUNS starts" >&2
ready_once "-XX:ArchiveClassesAtExit=$archive" >/dev/null
[ -f "$archive" ] || { echo "no AppCDS archive was written" >&2; exit 1; }
for _ in $(seq 1 "$RUNS"); do ready_once "-XX:SharedArchiveFile=$archive"; done >"$bench_work/ready-cds.txt"
printf 'ready-cds\t%s\t%s\n' "$(median <"$bench_work/ready-cds.txt")" "$(sort -n "$bench_work/ready-cds.txt" | tr '\n' ' ')"

# The manifests, one file each: the proxy entry of corp-proxy (examples/proxyguard.yaml), 9 entries for
# other proxies on port 3128 (every other one with protocol HTTP: PG101), ServiceEntries for external APIs
# (PG107 warns: the proxy reaches them) and Deployments that use corp-proxy (one in ten of the files).
dir=$bench_work/manifests
awk -v n="$MANIFESTS" -v dir="$dir" 'BEGIN {
  for (i = 0; i < n; i++) {
    ns = "team-" int(i / 500); file = sprintf("%s/%s/m-%05d.yaml", dir, ns, i)
    if (i % 500 == 0) system("mkdir -p " dir "/" ns)
    if (i % 10 == 9) {
      printf "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\n  namespace: %s\nspec:\n  selector:\n    matchLabels: {app: app-%d}\n  template:\n    metadata:\n      labels: {app: app-%d}\n    spec:\n      containers:\n      - name: app\n        image: registry.example/app:1.0\n        env:\n        - name: HTTPS_PROXY\n          value: http://10.10.0.5:3128\n        - name: NO_PROXY\n          value: .svc,.cluster.local\n", i, ns, i, i > file
    } else if (i == 0) {
      printf "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: corp-proxy\n  namespace: %s\nspec:\n  hosts: [my-company-proxy.com]\n  addresses: [10.10.0.5/32]\n  ports:\n  - {number: 3128, name: tcp, protocol: TCP}\n  location: MESH_EXTERNAL\n  resolution: NONE\n", ns > file
    } else if (i % 1000 == 0) {
      printf "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: proxy-%d\n  namespace: %s\nspec:\n  hosts: [proxy-%d.corp.example]\n  addresses: [10.20.%d.1/32]\n  ports:\n  - {number: 3128, name: tcp, protocol: %s}\n  location: MESH_EXTERNAL\n  resolution: NONE\n", i, ns, i, i / 1000, (i % 2000 == 0 ? "TCP" : "HTTP") > file
    } else {
      printf "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: api-%d\n  namespace: %s\nspec:\n  hosts: [api-%d.example.com]\n  ports:\n  - {number: 443, name: tls, protocol: TLS}\n  location: MESH_EXTERNAL\n  resolution: DNS\n", i, ns, i > file
    }
    close(file)
  }
}'
count=$(find "$dir" -name '*.yaml' | wc -l)
[ "$count" = "$MANIFESTS" ] || { echo "generated $count manifests, expected $MANIFESTS" >&2; exit 1; }

echo "validate: $VALIDATE_RUNS runs over $count manifests" >&2
for _ in $(seq 1 "$VALIDATE_RUNS"); do
  code=0
  /usr/bin/time -v -o "$bench_work/time.txt" java -jar "$JAR" validate -f "$dir" --config examples/proxyguard.yaml \
    >"$bench_work/report.txt" 2>"$bench_work/validate.err" || code=$?
  [ "$code" -le 1 ] || { cat "$bench_work/validate.err" >&2; exit 1; }
  awk -v code="$code" '
    /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { rss = $NF / 1024 }
    END { printf "%.2f\t%.0f\t%d\n", s, rss, code }' "$bench_work/time.txt"
done | sort -n | awk '{row[NR] = $0} END {print "validate\t" row[int((NR + 1) / 2)]}'
grep -c . "$bench_work/report.txt" | xargs -I{} echo "validate report: {} lines" >&2
