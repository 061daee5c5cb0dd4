#!/usr/bin/env bash
# A/B throughput of proxy-core's traffic port (tee off) against nginx as a plain proxy, interleaved, on loopback.
#
#   proxy-core/bench/ab.sh 'label|classes-dir|java opts[|event loops]' ['label|...' ...]
#   ROUNDS=3 DURATION=10s proxy-core/bench/ab.sh "now|proxy-core/target/classes|-Xmx1g -XX:+UseParallelGC"
#
# Backend: nginx (2 workers) answering a fixed 100-byte body. Reference: a second nginx (2 workers) proxying to it
# with upstream keepalive. Each variant runs io.shadowcar.proxy.bench.ProxyBenchMain on the given classes dir plus
# proxy-core's test classpath (CP_FILE, from `mvnw dependency:build-classpath -Dmdep.includeScope=test`).
# Every round runs nginx then each variant (fresh JVM, warm-up not measured, then measured), so a shared machine's
# load drifts over all of them alike. Needs: java, wrk, nginx.
# Warm-up: on a loaded 2-core box C2 is still compiling after 10 s (0.3-0.5x nginx measured then, 0.7-0.8x after
# 20 s), so the default is 20 s. cpu us/req (process CPU over the measured run / requests) is the steadier figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-2}
CP_FILE=${CP_FILE:-/tmp/perf-cp.txt}
EXTRA_CP=${EXTRA_CP:-}
LUA=scripts/bench/latency.lua
WORK=$(mktemp -d /tmp/proxy-core-ab.XXXXXX)
PID=

cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

nginx_conf() { # name server-block
  mkdir -p "$WORK/$1"
  cat >"$WORK/$1.conf" <<NGX
worker_processes 2;
pid $WORK/$1.pid;
error_log $WORK/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/$1; proxy_temp_path $WORK/$1; fastcgi_temp_path $WORK/$1;
  uwsgi_temp_path $WORK/$1; scgi_temp_path $WORK/$1;
  keepalive_requests 1000000;
  $2
}
NGX
  nginx -c "$WORK/$1.conf" -p "$WORK"
}
BACKEND=$(free_port); NGX=$(free_port)
nginx_conf backend "server { listen 127.0.0.1:$BACKEND; default_type application/json;
    location / { return 200 '{\"id\":42,\"name\":\"item-42\",\"view\":\"full\",\"tags\":[\"a\",\"b\",\"c\"],\"price\":12.5,\"ok\":true}'; } }"
nginx_conf proxy "upstream primary { server 127.0.0.1:$BACKEND; keepalive 128; keepalive_requests 1000000; }
  proxy_http_version 1.1; proxy_set_header Connection \"\";
  server { listen 127.0.0.1:$NGX; location / { proxy_pass http://primary; } }"
wait_port "$BACKEND"; wait_port "$NGX"

URL_PATH=/api/items/42?view=full
# CPU ticks (user+system, all threads) of the given pids: CPU per request is steadier than req/s when other work
# shares the cores.
ticks() { local t=0 pid; for pid in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$t"; }
HZ=$(getconf CLK_TCK)
measure() { # label url pid...
  local label=$1 url=$2; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LUA" "$url" >/dev/null
  local before result after requests
  before=$(ticks "$@")
  result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$LUA" "$url" | grep '^RESULT')
  after=$(ticks "$@")
  requests=${result##*requests=}
  echo "$label $result cpu_us_per_req=$(( (after - before) * 1000000 / HZ / requests ))" | tee -a "$WORK/results"
}

echo "# wrk -t$THREADS -c$CONNECTIONS -d$DURATION after ${WARMUP} warm-up, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $WORK"
for round in $(seq 1 "$ROUNDS"); do
  measure nginx-plain "http://127.0.0.1:$NGX$URL_PATH" $(pgrep -P "$(cat "$WORK/proxy.pid")")
  for spec in "$@"; do
    IFS='|' read -r label classes opts loops <<<"$spec"
    port=$(free_port)
    # shellcheck disable=SC2086
    java $opts -cp "$classes:proxy-core/target/test-classes:testkit/target/classes:$(cat "$CP_FILE")${EXTRA_CP:+:$EXTRA_CP}" \
      io.shadowcar.proxy.bench.ProxyBenchMain "$port" "http://127.0.0.1:$BACKEND" $loops >"$WORK/$label.log" 2>&1 &
    PID=$!
    wait_port "$port"
    measure "$label" "http://127.0.0.1:$port$URL_PATH" "$PID"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  done
done
echo
awk '{ l=$1; for (i=3;i<=NF;i++){ split($i,kv,"="); s[l,kv[1]]+=kv[2] } c[l]++; if (!(l in seen)) { seen[l]=1; order[n++]=l } }
  END { g=s["nginx-plain","rps"]/c["nginx-plain"]
    printf "%-20s %10s %9s %9s %9s %9s %12s\n","mean of rounds","req/s","p50 ms","p99 ms","p99.9 ms","x nginx","cpu us/req"
    for (i=0;i<n;i++){ l=order[i]; k=c[l]
      printf "%-20s %10.0f %9.2f %9.2f %9.2f %9.2f %12.1f\n", l, s[l,"rps"]/k, s[l,"p50"]/k/1000, s[l,"p99"]/k/1000, s[l,"p999"]/k/1000, s[l,"rps"]/k/g, s[l,"cpu_us_per_req"]/k } }' "$WORK/results"
