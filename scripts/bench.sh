#!/usr/bin/env bash
# Throughput and latency of shadowcar against a direct backend and nginx, on loopback, in one run.
#
#   scripts/bench.sh            # defaults: 20 s warm-up + 10 s measured per case, 64 connections, 2 wrk threads
#   DURATION=20s CONNECTIONS=128 scripts/bench.sh
#   ENGINE_EXCHANGES=200000 scripts/bench.sh   # exchanges per round of the diff engine's one-core measurement
#
# Needs: java, wrk and nginx (Debian packages; installed with apt-get when missing and we are root).
# Every server binds 127.0.0.1. Each case is warmed up (not measured) before it is measured.
# Prints one table: requests/s, p50/p99/p99.9 latency, and ratios to "direct" and to "nginx plain proxy"; then what
# diffing every copy costs the sidecar (tee on, diff on vs off), and the diff engine's exchanges/s on one core.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ENGINE_EXCHANGES=${ENGINE_EXCHANGES:-100000}
JAR=launcher/target/shadowcar.jar
WORK=$(mktemp -d /tmp/shadowcar-bench.XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

. scripts/bench/lib.sh
require_tools "wrk nginx" "wrk nginx-light"
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package

JAVA_SERVICE_OPTS=(-Xmx512m -XX:+UseParallelGC)
start_sample() { # name port delay_ms
  java "${JAVA_SERVICE_OPTS[@]}" -cp "$JAR" io.shadowcar.launcher.demo.SampleService \
    --name "$1" --port "$2" --delay-ms "$3" --quiet >"$WORK/$1.log" 2>&1 &
  PIDS+=($!); wait_port "$2"
}

PRIMARY=$(free_port); FAST=$(free_port); SLOW=$(free_port); DEAD=$(free_port)
start_sample primary "$PRIMARY" 0
start_sample shadow-fast "$FAST" 0
start_sample shadow-slow "$SLOW" 1000
# DEAD: nothing listens there (connection refused).

# --- nginx: plain proxy and mirror, the reference a proxy engineer would reach for ---
NGX_PLAIN=$(free_port); NGX_FAST=$(free_port); NGX_SLOW=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx.conf" <<NGX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
daemon on;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  upstream primary { server 127.0.0.1:$PRIMARY; keepalive 128; }
  upstream fast { server 127.0.0.1:$FAST; keepalive 128; }
  upstream slow { server 127.0.0.1:$SLOW; keepalive 128; }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  server { listen 127.0.0.1:$NGX_PLAIN; location / { proxy_pass http://primary; } }
  server { listen 127.0.0.1:$NGX_FAST;
    location / { mirror /_mirror; proxy_pass http://primary; }
    location = /_mirror { internal; proxy_pass http://fast\$request_uri; } }
  server { listen 127.0.0.1:$NGX_SLOW;
    location / { mirror /_mirror; proxy_pass http://primary; }
    location = /_mirror { internal; proxy_pass http://slow\$request_uri; } }
}
NGX
nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_port "$NGX_PLAIN"

# --- shadowcar, one instance per case, started one at a time so they never compete ---
SIDECAR_OPTS=(${SHADOWCAR_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError})
start_sidecar() { # name enabled shadow_target [extra -D options]
  local port admin; port=$(free_port); admin=$(free_port)
  java "${SIDECAR_OPTS[@]}" \
    -Dshadowcar.proxy.host=127.0.0.1 -Dshadowcar.proxy.port="$port" \
    -Dshadowcar.admin.port="$admin" -Dshadowcar.health.port=-1 \
    -Dshadowcar.primary.targets="http://127.0.0.1:$PRIMARY" \
    -Dshadowcar.shadow.enabled="$2" -Dshadowcar.shadow.targets="$3" \
    -Dshadowcar.data.dir="$WORK/data-$1" "${@:4}" \
    -jar "$JAR" >"$WORK/sidecar-$1.log" 2>&1 &
  SIDECAR_PID=$!; PIDS+=($SIDECAR_PID); wait_port "$port"
  SIDECAR_PORT=$port; SIDECAR_ADMIN=$admin
}
stop_sidecar() { kill "$SIDECAR_PID" 2>/dev/null || true; wait "$SIDECAR_PID" 2>/dev/null || true; }

URL_PATH=/users/42?view=full
run_wrk() { # label url
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s scripts/bench/latency.lua "$2" >/dev/null
  local line; line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s scripts/bench/latency.lua "$2" | grep '^RESULT')
  echo "$1 $line" | tee -a "$WORK/results"
}

echo "# wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a ${WARMUP} warm-up per case), $(nproc) cores, work dir $WORK"
run_wrk direct "http://127.0.0.1:$PRIMARY$URL_PATH"
run_wrk nginx-plain "http://127.0.0.1:$NGX_PLAIN$URL_PATH"
run_wrk nginx-mirror-fast "http://127.0.0.1:$NGX_FAST$URL_PATH"
run_wrk nginx-mirror-slow "http://127.0.0.1:$NGX_SLOW$URL_PATH"
DIFF_ON="-Dshadowcar.diff.enabled=true -Dshadowcar.diff.sample.percent=100"
for spec in "tee-off false http://127.0.0.1:$FAST" "tee-fast true http://127.0.0.1:$FAST" \
            "tee-slow true http://127.0.0.1:$SLOW" "tee-dead true http://127.0.0.1:$DEAD" \
            "tee-diff-off true http://127.0.0.1:$FAST -Dshadowcar.diff.enabled=false" \
            "tee-diff-on true http://127.0.0.1:$FAST $DIFF_ON"; do
  set -- $spec
  start_sidecar "$@"
  run_wrk "shadowcar-$1" "http://127.0.0.1:$SIDECAR_PORT$URL_PATH"
  curl -s "http://127.0.0.1:$SIDECAR_ADMIN/metrics" | grep -E '^shadowcar_(tee_(copies|dropped)|diff_exchanges)_total' \
    | sed "s/^/    [$1] /" || true
  stop_sidecar
done

# The diff engine alone, one thread pinned to one core: compiled test classes + its runtime class path.
engine_line() {
  ./mvnw -q -B -pl diff-engine test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/engine.cp" >&2
  local pin=(); need taskset && pin=(taskset -c 0)
  "${pin[@]}" java -XX:ActiveProcessorCount=1 \
    -cp "diff-engine/target/classes:diff-engine/target/test-classes:$(cat "$WORK/engine.cp")" \
    io.shadowcar.diff.EngineThroughput "$ENGINE_EXCHANGES" | tee "$WORK/engine.txt" | sed 's/^/    [engine] /' >&2
  # the best round of each mode: the first is cold, and on a shared machine the best is the least disturbed
  awk '/secondary:/ && $4 > s { s = $4 } /primary\+candidate:/ && $4 > p { p = $4 }
    END { printf "diff engine, one core: %d exchanges/s primary+candidate, %d with a secondary (~2 KiB JSON)\n", p, s }' \
    "$WORK/engine.txt"
}
ENGINE_LINE=$(engine_line)

echo
awk '
  { label=$1; for (i=3;i<=NF;i++){ split($i,kv,"="); v[label,kv[1]]=kv[2] } order[n++]=label }
  END {
    d=v["direct","rps"]; g=v["nginx-plain","rps"]
    printf "%-24s %10s %9s %9s %9s %8s %9s %9s\n","case","req/s","p50 ms","p99 ms","p99.9 ms","errors","x direct","x nginx"
    for (i=0;i<n;i++){ l=order[i]
      printf "%-24s %10.0f %9.2f %9.2f %9.2f %8d %9.2f %9.2f\n", l, v[l,"rps"], v[l,"p50"]/1000, v[l,"p99"]/1000,
        v[l,"p999"]/1000, v[l,"errors"], v[l,"rps"]/d, v[l,"rps"]/g }
    o=v["shadowcar-tee-off","rps"]; op=v["shadowcar-tee-off","p99"]
    printf "\ntee-off / nginx-plain throughput: %.2f (target >= 0.80)\n", o/g
    printf "slow shadow vs tee-off: throughput %.2f, p99 %.2f (target: within 10%%)\n", v["shadowcar-tee-slow","rps"]/o, v["shadowcar-tee-slow","p99"]/op
    printf "dead shadow vs tee-off: throughput %.2f, p99 %.2f (target: within 10%%)\n", v["shadowcar-tee-dead","rps"]/o, v["shadowcar-tee-dead","p99"]/op
    f=v["shadowcar-tee-diff-off","rps"]; fp=v["shadowcar-tee-diff-off","p99"]
    printf "diff on (100 %%) vs diff off, tee on: throughput %.2f, p99 %.2f\n", v["shadowcar-tee-diff-on","rps"]/f, v["shadowcar-tee-diff-on","p99"]/fp
  }' "$WORK/results"
echo "$ENGINE_LINE"
