#!/usr/bin/env bash
# Faults under load: h2load keeps the webhook busy over loopback TLS while one fault happens, and the
# script counts the requests that failed. Three scenarios, each on a fresh server:
#   rotation  the serving certificate and key are replaced on disk 4 times (atomic renames, as a
#             mounted Secret changes), while new connections (new handshakes) keep arriving
#   reload    the --config file is rewritten 4 times (PG101 deny <-> warn), reviews keep flowing
#   sigterm   SIGTERM in the middle of the load: reviews in flight must finish, the exit code must be 0
# The target is 0 failed requests in rotation and reload, and 0 failed requests among those the server
# had accepted in sigterm (connections made after the listener closed are refused by design: in a
# cluster the endpoint is removed first, see docs/reliability.md).
#
#   bench/faults.sh                    # all three, about 10 s each
#   SCENARIOS=rotation bench/faults.sh # one
#   SHUTDOWN_DELAY=5s SCENARIOS=sigterm bench/faults.sh   # sigterm with serve's default drain (here: none, the
#                                                         # port closes at once; bench/availability.sh has the drain)
# Environment: SHUTDOWN_DELAY, SCENARIOS, CONNECTIONS (total, made at RATE per 500 ms), REQUESTS (total), STREAMS, PORT, METRICS_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIOS=${SCENARIOS:-"rotation reload sigterm"}
CONNECTIONS=${CONNECTIONS:-16}
RATE=${RATE:-1}
REQUESTS=${REQUESTS:-40000}
STREAMS=${STREAMS:-4}
PORT=${PORT:-18543}
METRICS_PORT=${METRICS_PORT:-18180}
JAR=target/proxyguard.jar
FIXTURE=src/test/resources/admission/v1-create-http-proxy.json

command -v h2load >/dev/null || { echo "h2load is missing: run .ci/install-deps (Debian package nghttp2-client)" >&2; exit 2; }
[ -f "$JAR" ] || mvn -q -B -ntp -DskipTests package

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

certs() { # dir
  java -jar "$JAR" certs --service proxyguard --namespace bench --host localhost --host 127.0.0.1 --out "$1" --force >/dev/null 2>&1
}

start_server() {
  mkdir -p "$work/live"
  cp "$work/a/tls.crt" "$work/live/tls.crt"; cp "$work/a/tls.key" "$work/live/tls.key"
  cp examples/proxyguard.yaml "$work/config.yaml"
  java -jar "$JAR" serve --bind-address 127.0.0.1 --port "$PORT" --metrics-port "$METRICS_PORT" \
    --config "$work/config.yaml" --tls-cert "$work/live/tls.crt" --tls-key "$work/live/tls.key" \
    --reload-interval 200ms --shutdown-timeout 20s --shutdown-delay "${SHUTDOWN_DELAY:-0}" >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.2
  done
  # unmeasured JIT warm-up
  h2load -D 3 -t 1 -c 4 -m 8 -H 'Content-Type: application/json' -d "$FIXTURE" "https://127.0.0.1:$PORT/validate" >/dev/null 2>&1
}

stop_server() { # sets exit_code
  kill -TERM "$server_pid"
  exit_code=0
  wait "$server_pid" || exit_code=$?
  server_pid=""
}

load() { # output file; runs in the background, sets load_pid
  h2load -t 1 -c "$CONNECTIONS" -r "$RATE" --rate-period 500ms -n "$REQUESTS" -m "$STREAMS" \
    -H 'Content-Type: application/json' -d "$FIXTURE" "https://127.0.0.1:$PORT/validate" >"$1" 2>&1 &
  load_pid=$!
}

report() { # scenario h2load-output note
  awk -v name="$1" -v note="$3" '
    /^requests:/ { total=$2; started=$4; done=$6; ok=$8; failed=$10; errored=$12; timeout=$14 }
    /^status codes:/ { s2=$3; s3=$5; s4=$7; s5=$9 }
    END { printf "%-9s %8s %8s %8s %8s %8s %8s %6s %6s  %s\n", name, total, started, ok, failed, errored, timeout, s4, s5, note }' "$2"
}

rotate_certificates() {
  for i in 1 2 3 4; do
    sleep 1
    local from=$([ $((i % 2)) -eq 1 ] && echo b || echo a)
    cp "$work/$from/tls.crt" "$work/live/tls.crt.new"; cp "$work/$from/tls.key" "$work/live/tls.key.new"
    mv "$work/live/tls.key.new" "$work/live/tls.key"; mv "$work/live/tls.crt.new" "$work/live/tls.crt"
  done
}

rewrite_config() {
  for i in 1 2 3 4; do
    sleep 1
    if [ $((i % 2)) -eq 1 ]; then
      { cat examples/proxyguard.yaml; printf 'rules:\n  PG101: warn\n'; } >"$work/config.yaml.new"
    else
      cp examples/proxyguard.yaml "$work/config.yaml.new"
    fi
    mv "$work/config.yaml.new" "$work/config.yaml"
  done
}

certs "$work/a"
certs "$work/b"
echo "proxyguard faults under load: $(nproc) cores, loopback TLS, h2load: $REQUESTS requests over $CONNECTIONS connections (made $RATE per 500 ms), $STREAMS streams each"
printf '%-9s %8s %8s %8s %8s %8s %8s %6s %6s  %s\n' scenario total started ok failed errored timeout 4xx 5xx note

for scenario in $SCENARIOS; do
  start_server
  out="$work/$scenario.out"
  load "$out"
  case "$scenario" in
    rotation)
      rotate_certificates
      wait "$load_pid" || true
      reloads=$(curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | awk '/^proxyguard_tls_certificate_reloads_total\{result="success"\}/ {print $2}')
      stop_server
      report rotation "$out" "certificate reloads: ${reloads:-0}, exit $exit_code" ;;
    reload)
      rewrite_config
      wait "$load_pid" || true
      reloads=$(curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | awk '/^proxyguard_config_reloads_total\{result="success"\}/ {print $2}')
      stop_server
      report reload "$out" "config reloads: ${reloads:-0}, exit $exit_code" ;;
    sigterm)
      sleep 2
      stop_server
      wait "$load_pid" || true
      report sigterm "$out" "SIGTERM after 2 s, exit $exit_code (requests not started: refused after the listener closed)" ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
done
