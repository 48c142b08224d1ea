#!/usr/bin/env bash
# The whole benchmark table in one run: rule evaluation (JMH), admission over TLS against the baseline
# (h2load), start-up, the offline validator over 10,000 manifests, peak RSS under load, the cluster view's heap
# for 10,000 Deployments and 20,000 Pods.
#   bench/run-all.sh --quick    # about 4 minutes on 2 cores
#   bench/run-all.sh            # about 12 minutes
# Prints the table (Markdown) and writes it, with the raw rows, to target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
quick=()
[ "${1:-}" = --quick ] && quick=(--quick)
out=target/bench
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw=$out/$stamp.tsv
table=$out/$stamp.md

started=$(date +%s)
echo "load before: $(uptime)" >&2
bench_build
export BENCH_SKIP_BUILD=1
JMH_CSV=$out/$stamp-jmh.csv bench/rules.sh "${quick[@]}" >"$out/$stamp-jmh.log" 2>&1 || { tail -30 "$out/$stamp-jmh.log" >&2; exit 1; }
awk -F, 'NR > 1 { gsub(/"/, ""); sub(/.*\./, "", $1); printf "rules\t%s\t%.0f\t%.0f\n", $1, $5, $6 }' "$out/$stamp-jmh.csv" >"$raw"
bench/webhook-load.sh "${quick[@]}" >>"$raw"
bench/startup.sh "${quick[@]}" >>"$raw"
bench/view-memory.sh >>"$raw"
elapsed=$(( $(date +%s) - started ))
load_after=$(uptime)

awk -F'\t' -f bench/table.awk -v mode="${quick:-full}" -v elapsed="$elapsed" -v cores="$(nproc)" -v load="${load_after##*average: }" \
  "$raw" >"$table"
echo "load after: $load_after" >&2
cat "$table"
echo "raw rows: $raw; table: $table" >&2
