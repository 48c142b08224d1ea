#!/usr/bin/env bash
# Zero failed admissions, shown with real parts: `proxyguard serve` with the chart's JVM settings, HAProxy as the
# Service in front of the replicas, h2load as the API server's load. Loopback only; every run and wait is bounded.
#
#   burst    one fresh replica, then the same replica warm: h2load opens BURST_CONNECTIONS x BURST_STREAMS concurrent
#            HTTP/2 streams for BURST_SECONDS each time. Counts every answer by status, the refused (429) from the
#            replica's /metrics, and the answers slower than the webhook timeout (5 s, the chart's timeoutSeconds).
#   rollout  two replicas behind HAProxy, which health-checks /readyz every 200 ms as a Service's endpoints follow
#            readiness. h2load sends through it over HTTP/2 (at a fixed rate) and HTTP/1.1 at once while the replicas
#            are replaced one by one: SIGTERM one (it drains for SHUTDOWN_DELAY), start a new one, wait until HAProxy
#            sees it ready, repeat. HTTP/2 goes through HAProxy in HTTP mode: one multiplexing client to the
#            replicas that honours GOAWAY, as the API server's is. HTTP/1.1 goes through HAProxy in TCP mode:
#            connections balanced as kube-proxy does, moved by Connection: close. HAProxy retries a connection only
#            when it could not be made (`retry-on conn-failure`: nothing was sent), never a request that was.
#
#   bench/availability.sh          # bench sizes: 512 streams for 10 s; rollout at 1,000 req/s (HTTP/2) + 4 HTTP/1.1 clients
#   bench/availability.sh --ci     # CI sizes (AvailabilityIT): 256 streams for 4 s; rollout at 200 req/s + 1 HTTP/1.1 client
#
# Output: one tab-separated row per measurement on stdout:
#   scenario  protocol  sent  answered_2xx  failed  cut  4xx  5xx  refused_429  over_timeout  p99_ms  max_ms  note
# where sent is what h2load started, failed what it counted failed (errored and timed out included), cut the
# requests still in flight when a timed h2load run (the burst) stopped waiting (at most its concurrency), refused_429
# the replica's own count in /metrics (burst; "-" in the rollout, where replicas come and go: its 4xx are those),
# and over_timeout the answers that took longer than the webhook timeout. Progress on stderr. Environment: SCENARIOS ("burst rollout"),
# BURST_CONNECTIONS, BURST_STREAMS, BURST_SECONDS, H2_RATE (req/s), H2_CONNECTIONS, H1_CONNECTIONS, ROUND_SECONDS,
# SHUTDOWN_DELAY (5s),
# BASE_PORT (ports BASE_PORT..BASE_PORT+19 are used), SERVE_OPTIONS (added to each replica's, e.g.
# "--max-concurrent-reviews 16"), BENCH_SKIP_BUILD=1, BENCH_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

if [ "${1:-}" = --ci ]; then
  BURST_CONNECTIONS=${BURST_CONNECTIONS:-16}; BURST_STREAMS=${BURST_STREAMS:-16}; BURST_SECONDS=${BURST_SECONDS:-4}
  H2_RATE=${H2_RATE:-200}; H2_CONNECTIONS=${H2_CONNECTIONS:-4}; H1_CONNECTIONS=${H1_CONNECTIONS:-1}; ROUND_SECONDS=${ROUND_SECONDS:-3}
fi
SCENARIOS=${SCENARIOS:-burst rollout}
BURST_CONNECTIONS=${BURST_CONNECTIONS:-32}
BURST_STREAMS=${BURST_STREAMS:-16}
BURST_SECONDS=${BURST_SECONDS:-10}
H2_RATE=${H2_RATE:-1000}
H2_CONNECTIONS=${H2_CONNECTIONS:-8}
H1_CONNECTIONS=${H1_CONNECTIONS:-4}
SHUTDOWN_DELAY=${SHUTDOWN_DELAY:-5s}
ROUND_SECONDS=${ROUND_SECONDS:-5}
BASE_PORT=${BASE_PORT:-18600}
TIMEOUT_SECONDS=5
FIXTURE=$FIXTURES/v1-create-http-proxy.json
# The API server appends the webhook's timeoutSeconds to every call; the replicas queue by it.
TARGET_PATH="/validate?timeout=${TIMEOUT_SECONDS}s"

bench_require h2load nghttp2-client
bench_require haproxy haproxy
bench_require curl curl
bench_init
bench_build
bench_certs
certs=$bench_work/certs

# ---------------------------------------------------------------------------------------------------------------
# Replicas: slot N listens on BASE_PORT+N (HTTPS) and BASE_PORT+10+N (health, metrics).

declare -A replica_pid=()

start_replica() { # slot
  METRICS_PORT=$((BASE_PORT + 10 + $1)) SERVE_OPTIONS="--shutdown-delay $SHUTDOWN_DELAY --reload-interval 10s ${SERVE_OPTIONS:-}" \
    bench_start_serve "$((BASE_PORT + $1))" "$bench_work/replica-$1.log"
  replica_pid[$1]=$bench_serve_pid
}

await_ready() { # slot
  bench_wait_for "${replica_pid[$1]}" "http://127.0.0.1:$((BASE_PORT + 10 + $1))/readyz" \
    || { echo "replica $1 did not get ready:" >&2; tail -20 "$bench_work/replica-$1.log" >&2; exit 1; }
}

stop_replica() { # slot; waits for the exit and checks that it is 0
  local code=0
  wait "${replica_pid[$1]}" || code=$?
  [ "$code" = 0 ] || { echo "replica $1 exited with $code after SIGTERM" >&2; tail -20 "$bench_work/replica-$1.log" >&2; exit 1; }
}

refused() { # slot: reviews the replica refused with 429 so far
  curl -fsS "http://127.0.0.1:$((BASE_PORT + 10 + $1))/metrics" \
    | awk '/^proxyguard_admission_requests_total\{.*outcome="refused"/ {n += $2} END {printf "%d", n}'
}

# ---------------------------------------------------------------------------------------------------------------
# h2load: one run's summary as "sent ok failed 4xx 5xx", and latencies from its per-request log.

summary() { # h2load-output: "sent ok failed cut 4xx 5xx" (cut: still in flight when a timed run ended)
  awk '/^requests:/ {started = $4; done = $6; failed = $10} /^status codes:/ {ok = $3; c4 = $7; c5 = $9}
       END {printf "%d %d %d %d %d %d\n", started, ok, failed, started - done, c4, c5}' "$1"
}

latencies() { # per-request-logs...: "p99_ms max_ms over_timeout"
  cat "$@" | sort -n -k3 | awk -v limit="$((TIMEOUT_SECONDS * 1000000))" '
    { lat[NR] = $3; if ($3 > limit) over++ }
    END { if (NR == 0) { print "0 0 0"; exit } i = int(NR * 0.99); if (i < 1) i = 1
          printf "%.2f %.2f %d\n", lat[i] / 1000, lat[NR] / 1000, over }'
}

statuses() { # per-request-logs...: "; answers other than 200: 503 x4, no answer x2", or nothing
  cat "$@" | awk '$2 != 200 {n[$2 == -1 ? "no answer" : $2]++}
    END {for (s in n) out = out (out ? ", " : "") s " x" n[s]; if (out) printf "; answers other than 200: %s", out}'
}

row() { # scenario protocol "sent ok failed cut 4xx 5xx" refused "p99 max over" note
  local s=($3) l=($5)
  printf '%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%s\t%s\t%s\n' "$1" "$2" "${s[0]}" "${s[1]}" "${s[2]}" "${s[3]}" \
    "${s[4]}" "${s[5]}" "$4" "${l[2]}" "${l[0]}" "${l[1]}" "$6"
}

# ---------------------------------------------------------------------------------------------------------------

burst() {
  start_replica 1
  await_ready 1
  local phase
  for phase in cold warm; do
    echo "burst ($phase): $BURST_CONNECTIONS connections x $BURST_STREAMS streams for ${BURST_SECONDS}s against one replica" >&2
    local before out=$bench_work/burst-$phase
    before=$(refused 1)
    h2load -D "$BURST_SECONDS" -t 1 -c "$BURST_CONNECTIONS" -m "$BURST_STREAMS" -H 'Content-Type: application/json' \
      -d "$FIXTURE" --log-file "$out.log" "https://127.0.0.1:$((BASE_PORT + 1))$TARGET_PATH" >"$out.out" 2>&1 \
      || { cat "$out.out" >&2; exit 1; }
    row "burst-$phase" h2 "$(summary "$out.out")" "$(( $(refused 1) - before ))" "$(latencies "$out.log")" \
      "$((BURST_CONNECTIONS * BURST_STREAMS)) concurrent streams, ${BURST_SECONDS}s, one replica"
  done
  kill -TERM "${replica_pid[1]}"
  stop_replica 1
}

haproxy_config() { # file
  local pem=$bench_work/haproxy.pem
  cat "$certs/tls.crt" "$certs/tls.key" >"$pem"
  {
    cat <<EOF
global
    maxconn 4096
    nbthread 1
    log stdout format raw local0 info
defaults
    log global
    # Only what went wrong is logged (to haproxy.log in the work directory, BENCH_KEEP=1 keeps it).
    option dontlog-normal
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 2s
    retries 3
    option redispatch 1
    # A draining replica's /readyz answers 503 at once: out after 3 checks, within about 600 ms of its SIGTERM (a
    # Service drops a terminating pod's endpoint at once). 3, not 1: one slow check on a loaded machine must not
    # take a healthy replica out, as a readiness probe's failureThreshold does not.
    default-server inter 200ms fall 3 rise 1
frontend stats
    mode http
    bind 127.0.0.1:$((BASE_PORT + 9))
    stats enable
    stats uri /stats
frontend h2
    mode http
    option httplog
    bind 127.0.0.1:$((BASE_PORT + 7)) ssl crt $pem alpn h2,http/1.1
    default_backend replicas_h2
frontend h1
    mode tcp
    option tcplog
    bind 127.0.0.1:$((BASE_PORT + 8))
    default_backend replicas_tcp
backend replicas_h2
    mode http
    balance roundrobin
    retry-on conn-failure
    option httpchk GET /readyz
    http-check expect status 200
EOF
    for slot in 1 2 3 4; do
      echo "    server r$slot 127.0.0.1:$((BASE_PORT + slot)) check port $((BASE_PORT + 10 + slot)) ssl verify required ca-file $certs/ca.crt verifyhost localhost sni str(localhost) alpn h2"
    done
    cat <<EOF
backend replicas_tcp
    mode tcp
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
EOF
    for slot in 1 2 3 4; do
      echo "    server r$slot 127.0.0.1:$((BASE_PORT + slot)) check port $((BASE_PORT + 10 + slot))"
    done
  } >"$1"
}

# Waits until HAProxy reports slot $1 in state $2 (UP, DOWN) in both backends (at most 30 s).
await_haproxy() { # slot state
  for _ in $(seq 1 600); do
    [ "$(curl -fsS "http://127.0.0.1:$((BASE_PORT + 9))/stats;csv" 2>/dev/null | awk -F, -v s="r$1" -v st="$2" '$2 == s && $18 ~ "^" st' | wc -l)" = 2 ] && return 0
    sleep 0.05
  done
  echo "HAProxy did not see replica $1 $2:" >&2
  curl -fsS "http://127.0.0.1:$((BASE_PORT + 9))/stats;csv" | cut -d, -f1,2,18,37,38 >&2 || true
  tail -20 "$bench_work/haproxy.log" >&2
  exit 1
}

haproxy_retries() { # connection attempts HAProxy retried or sent to another replica (CSV wretr + wredis)
  curl -fsS "http://127.0.0.1:$((BASE_PORT + 9))/stats;csv" | awk -F, '$2 == "BACKEND" {n += $16 + $17} END {printf "%d", n}'
}

# Load in rounds of about ROUND_SECONDS until $bench_work/rollout.done exists; each round's output is kept.
load() { # protocol
  local round=0 args=()
  if [ "$1" = h2 ]; then
    # One stream per h2load connection: with several, HAProxy 2.6's HTTP/2 frontend lost about 1% of h2load's streams
    # before logging them, with one replica and no rollout too (none sent straight to the replica). HAProxy's own
    # connections to the replicas still carry many streams at once; those are the ones that get the GOAWAY.
    args=(-n "$((H2_RATE * ROUND_SECONDS))" -c "$H2_CONNECTIONS" -m 1 --rps "$((H2_RATE / H2_CONNECTIONS))"
      "https://127.0.0.1:$((BASE_PORT + 7))$TARGET_PATH")
  else
    # No --rps here: h2load's rate timer loses a request it queues while reconnecting after Connection: close (2 of
    # 100 reconnections to one draining replica with --rps, none without; the replica answered all it received).
    args=(-n "$((H2_RATE * ROUND_SECONDS / 2))" --h1 -c "$H1_CONNECTIONS" "https://127.0.0.1:$((BASE_PORT + 8))$TARGET_PATH")
  fi
  while [ ! -f "$bench_work/rollout.done" ]; do
    round=$((round + 1))
    # A fixed number of requests at a fixed rate: h2load waits for every answer, so none is cut at the end.
    h2load -t 1 -H 'Content-Type: application/json' -d "$FIXTURE" \
      --log-file "$bench_work/rollout-$1-$round.log" "${args[@]}" >"$bench_work/rollout-$1-$round.out" 2>&1 || true
  done
}

rollout() {
  haproxy_config "$bench_work/haproxy.cfg"
  haproxy -c -q -f "$bench_work/haproxy.cfg" || { cat "$bench_work/haproxy.cfg" >&2; exit 1; }
  haproxy -db -f "$bench_work/haproxy.cfg" >"$bench_work/haproxy.log" 2>&1 &
  bench_pids+=($!)
  start_replica 1
  start_replica 2
  await_ready 1
  await_ready 2
  await_haproxy 1 UP
  await_haproxy 2 UP
  echo "rollout: HTTP/2 at $H2_RATE req/s over $H2_CONNECTIONS connections (HAProxy, HTTP mode) and HTTP/1.1 over $H1_CONNECTIONS connections, one request at a time (HAProxy, TCP mode); drain $SHUTDOWN_DELAY" >&2
  local started
  started=$(bench_now_ms)
  load h2 & local h2_loader=$!
  load h1 & local h1_loader=$!
  sleep "$ROUND_SECONDS"
  local old new out_after=()
  for old in 1 2; do
    new=$((old + 2))
    echo "  SIGTERM replica $old, start replica $new" >&2
    local signalled
    signalled=$(bench_now_ms)
    kill -TERM "${replica_pid[$old]}"
    start_replica "$new"
    await_haproxy "$old" DOWN
    out_after+=("$(( $(bench_now_ms) - signalled ))")
    await_ready "$new"
    await_haproxy "$new" UP
    stop_replica "$old"
  done
  sleep "$ROUND_SECONDS"
  touch "$bench_work/rollout.done"
  wait "$h2_loader" "$h1_loader"
  local took=$(( ($(bench_now_ms) - started) / 1000 )) retries answered
  retries=$(haproxy_retries)
  # serve batches its log lines (--log-flush-frequency, 100 ms): the last reviews of the replicas still running may
  # not be in their logs yet when h2load has its answers. Stopped, they have written everything: count then.
  kill -TERM "${replica_pid[3]}" "${replica_pid[4]}"
  stop_replica 3
  stop_replica 4
  # What the replicas answered, from their review log lines: every request one of them received was answered, and
  # the answer reached h2load, when this equals h2load's 2xx over both protocols.
  answered=$(cat "$bench_work"/replica-*.log | grep -c 'admission review webhook=validate' || true)
  local protocol totals
  for protocol in h2 h1; do
    totals=$(for out in "$bench_work"/rollout-"$protocol"-*.out; do summary "$out"; done \
      | awk '{for (i = 1; i <= 6; i++) t[i] += $i} END {printf "%d %d %d %d %d %d", t[1], t[2], t[3], t[4], t[5], t[6]}')
    row rollout "$protocol" "$totals" "-" "$(latencies "$bench_work"/rollout-"$protocol"-*.log)" \
      "2 replicas replaced one by one in ${took}s; out of HAProxy ${out_after[*]} ms after SIGTERM; replicas answered $answered reviews in all; HAProxy connection retries (nothing sent): $retries$(statuses "$bench_work"/rollout-"$protocol"-*.log)"
  done
}

echo "availability: $(nproc) cores, load $(uptime | sed 's/.*average: //'), loopback TLS, chart JVM settings" >&2
for scenario in $SCENARIOS; do
  case "$scenario" in
    burst) burst ;;
    rollout) rollout ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
done
