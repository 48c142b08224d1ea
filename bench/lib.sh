# Shared by the bench/ scripts (sourced, not run). Loopback only; every server started here is stopped
# by bench_cleanup (trap it on EXIT), which also removes the work directory unless BENCH_KEEP=1.

JAR=target/proxyguard.jar
FIXTURES=src/test/resources/admission

# The chart's JVM settings (charts/proxyguard: JAVA_TOOL_OPTIONS and MALLOC_ARENA_MAX from _pod.tpl's proxyguard.env,
# values.yaml's jvm.maxRamPercentage=75, jvm.youngGenSize=64m, jvm.mallocArenaMax=2 and
# resources.limits.memory=512Mi). Outside a container the JVM would size its heap from the host's RAM;
# -XX:MaxRAM=512m tells it the container limit, as the cgroup would, and -XX:+UseSerialGC is what JDK 17's
# ergonomics pick in such a pod (under 1792 MiB of memory the JVM does not count as a server-class machine,
# whatever the CPU count). BENCH_JAVA_OPTS adds options to try another setting (the last one wins).
CHART_JAVA_OPTS="-XX:MaxRAM=512m -XX:+UseSerialGC -XX:MaxRAMPercentage=75 -Xmn64m -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Dorg.slf4j.simpleLogger.defaultLogLevel=info${BENCH_JAVA_OPTS:+ $BENCH_JAVA_OPTS}"
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

bench_work=""
bench_pids=()

bench_init() {
  bench_work=$(mktemp -d)
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  if [ -n "$bench_work" ] && [ "${BENCH_KEEP:-}" = 1 ]; then
    echo "kept the run's files (BENCH_KEEP=1): $bench_work" >&2
  elif [ -n "$bench_work" ]; then
    rm -rf "$bench_work"
  fi
}

# Builds the shaded jar and the test classes (the baseline server and the JMH benchmark live there).
bench_build() {
  if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
    mvn -q -B -ntp -DskipTests package test-compile
  fi
}

bench_require() { # command package
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $2 for $1" >&2
    apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null || { echo "$1 is missing: install the Debian package $2" >&2; exit 2; }
}

# The test classpath (target/test-classes, target/classes and every dependency), for the bench's own Java programs
# (fake API servers, JMH); Maven's colour codes stripped in case a terminal asked for them.
bench_test_classpath() {
  local deps
  deps=$(mvn -q -B -ntp -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout \
    | sed "s/\x1b\[[0-9;]*m//g")
  echo "target/test-classes:target/classes:$deps"
}

# A serving certificate for localhost/127.0.0.1 from `proxyguard certs`, in $bench_work/certs.
bench_certs() {
  [ -f "$bench_work/certs/tls.crt" ] && return
  java -jar "$JAR" certs --service proxyguard --namespace bench --host localhost --host 127.0.0.1 \
    --out "$bench_work/certs" >/dev/null 2>&1
}

# Starts `proxyguard serve` on loopback with the chart's JVM settings (plus $3), the example config and the
# certificate of bench_certs, metrics on $METRICS_PORT, and any further options in $SERVE_OPTIONS; its pid
# goes to $bench_serve_pid and to cleanup.
bench_start_serve() { # port log-file [extra-jvm-options]; $SERVE_PREFIX runs before java (e.g. "taskset -c 0")
  JAVA_TOOL_OPTIONS="$CHART_JAVA_OPTS ${3:-}" ${SERVE_PREFIX:-} java -jar "$JAR" serve --bind-address 127.0.0.1 --port "$1" \
    --metrics-port "$METRICS_PORT" --config examples/proxyguard.yaml \
    --tls-cert "$bench_work/certs/tls.crt" --tls-key "$bench_work/certs/tls.key" ${SERVE_OPTIONS:-} >"$2" 2>&1 &
  bench_serve_pid=$!
  bench_pids+=("$bench_serve_pid")
}

# Waits until `curl ARGS...` succeeds (20 ms steps, at most 30 s) while process $1 lives.
bench_wait_for() { # pid curl-args...
  local pid=$1; shift
  for _ in $(seq 1 1500); do
    curl -fsS -o /dev/null "$@" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}

# Peak resident set size of a live process in MiB (the kernel's high-water mark, VmHWM).
bench_peak_rss_mib() { # pid
  awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}

bench_now_ms() { date +%s%3N; }
