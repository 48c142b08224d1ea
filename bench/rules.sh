#!/usr/bin/env bash
# JMH: nanoseconds per object for the policy engine alone (no HTTP, no request parsing), ServiceEntries and
# Deployments, clean and broken, with a cluster view of 10,000 entries, 1,000 Sidecars and 2,000 Namespaces
# (RuleEvaluationBenchmark), and PG107 on an external entry with 10,000 Deployments in the view as well.
#   bench/rules.sh             # 3 x 2 s warm-up, 5 x 2 s measured, 1 fork
#   bench/rules.sh --quick     # 3 x 1 s warm-up, 3 x 1 s measured
#   bench/rules.sh -prof gc    # any further JMH options are passed on
# Writes JMH's CSV results to $JMH_CSV (default target/jmh-rules.csv). BENCH_SKIP_BUILD=1 skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
options=()
if [ "${1:-}" = --quick ]; then
  shift
  options=(-wi 3 -w 1 -i 3 -r 1)
fi
bench_build
cp=$(bench_test_classpath)
exec java -cp "$cp" org.openjdk.jmh.Main "${JMH_BENCHMARKS:-RuleEvaluationBenchmark}" \
  -rf csv -rff "${JMH_CSV:-target/jmh-rules.csv}" "${options[@]}" "$@"
