#!/usr/bin/env bash
# The heap the webhook's cluster view retains for 10,000 Deployments and 20,000 Pods as the API server sends
# them, fed through the informers' trimming stores and indexed (ClusterViewMemoryBenchmark), with what fabric8's
# default store would keep for comparison. SerialGC, fixed 1 GiB heap, as the chart's pods and the JMH forks;
# soft references cleared at every collection (a cache's soft references are not the view's).
#   bench/view-memory.sh                 # 10,000 Deployments, 20,000 Pods
#   bench/view-memory.sh 1000 2000       # other counts
#   bench/view-memory.sh service-entries|services|config-maps [COUNT [LARGE]]
#                                        # one kind alone (10,000 ServiceEntries, 10,000 Services, 5,000 ConfigMaps
#                                        # of which 300 of 500 KB), with the same objects as received
# Each figure in a JVM of its own (view, bare-pods, as-received): one line each on stderr, and tab-separated
# view-memory rows (figure, Deployments, Pods, bytes) on stdout. BENCH_SKIP_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ "${1:-}" = --quick ] && shift
bench_build
cp=$(bench_test_classpath)
if [[ "${1:-}" =~ ^(service-entries|services|config-maps)$ ]]; then
  figures=("$1"); shift
else
  figures=(view bare-pods as-received)
fi
for figure in "${figures[@]}"; do
  java -XX:+UseSerialGC -Xms1g -Xmx1g -XX:SoftRefLRUPolicyMSPerMB=0 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$cp" io.proxyguard.bench.ClusterViewMemoryBenchmark "$figure" "$@"
done
