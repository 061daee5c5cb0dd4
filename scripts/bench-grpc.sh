#!/usr/bin/env bash
# gRPC unary calls through shadowcar vs direct, on loopback, in one bounded run (about 3 x (WARMUP + DURATION) s plus
# start-up).
#
#   scripts/bench-grpc.sh                     # 5 s warm-up + 10 s measured per case, 32 calls in flight, 256-byte messages
#   DURATION=20 CONCURRENCY=64 BYTES=4096 scripts/bench-grpc.sh
#
# The load client and the servers are grpc-java (io.shadowcar.sink.GrpcBenchMain, test scope; ghz is not a Debian
# package): the client keeps CONCURRENCY unary calls in flight on one HTTP/2 connection (prior knowledge). Cases:
#   direct        client -> primary
#   tee-off       client -> shadowcar -> primary                 (shadowcar.shadow.enabled=false)
#   tee-copy      client -> shadowcar -> primary, every call copied to a gRPC shadow and diffed
# Needs java and the jar (built with ./mvnw -q -DskipTests package when missing; rebuild it after changing sources).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONCURRENCY=${CONCURRENCY:-32}
BYTES=${BYTES:-256}
JAR=launcher/target/shadowcar.jar
WORK=$(mktemp -d /tmp/shadowcar-bench-grpc.XXXXXX)
. scripts/bench/lib.sh # free_port, wait_port

[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package
# the grpc-java client and servers: shadow-sink's test classes and their class path
./mvnw -q -B -pl shadow-sink -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp" >&2
CP="shadow-sink/target/test-classes:$(cat "$WORK/cp")"
MAIN=io.shadowcar.sink.GrpcBenchMain

start_grpc() { # name -> GRPC_PORT (not in $(...): the server's pid must reach PIDS in this shell)
  java -Xmx256m -cp "$CP" "$MAIN" server "$1" >"$WORK/$1.out" 2>"$WORK/$1.log" &
  PIDS+=($!)
  for _ in $(seq 1 300); do grep -q '^port ' "$WORK/$1.out" 2>/dev/null && break; sleep 0.1; done
  GRPC_PORT=$(sed -n 's/^port //p' "$WORK/$1.out")
}

start_grpc primary; PRIMARY=$GRPC_PORT
start_grpc shadow; SHADOW=$GRPC_PORT

SIDECAR_OPTS=(${SHADOWCAR_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError})
start_sidecar() { # name shadow_enabled [extra -D options]
  local port admin; port=$(free_port); admin=$(free_port)
  java "${SIDECAR_OPTS[@]}" \
    -Dshadowcar.proxy.host=127.0.0.1 -Dshadowcar.proxy.port="$port" -Dshadowcar.admin.port="$admin" \
    -Dshadowcar.primary.targets="http://127.0.0.1:$PRIMARY" \
    -Dshadowcar.shadow.enabled="$2" -Dshadowcar.shadow.targets="http://127.0.0.1:$SHADOW" \
    -Dshadowcar.routes.grpc.path='/test.Echo/*' -Dshadowcar.routes.grpc.methods=POST \
    -Dshadowcar.data.dir="$WORK/data-$1" "${@:3}" \
    -jar "$JAR" >"$WORK/sidecar-$1.log" 2>&1 &
  SIDECAR_PID=$!; PIDS+=($SIDECAR_PID); wait_port "$port"
  SIDECAR_PORT=$port; SIDECAR_ADMIN=$admin
}
stop_sidecar() { kill "$SIDECAR_PID" 2>/dev/null || true; wait "$SIDECAR_PID" 2>/dev/null || true; }

run_load() { # label port
  local line
  line=$(java -Xmx512m -cp "$CP" "$MAIN" load "$2" "$DURATION" "$WARMUP" "$CONCURRENCY" "$BYTES" | grep '^RESULT')
  echo "$1 $line" | tee -a "$WORK/results"
}

echo "# grpc-java unary, $CONCURRENCY in flight, $BYTES-byte messages, ${DURATION}s measured after ${WARMUP}s, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), work dir $WORK"
run_load direct "$PRIMARY"
for spec in "tee-off false" "tee-copy true"; do
  set -- $spec
  start_sidecar "$@"
  run_load "shadowcar-$1" "$SIDECAR_PORT"
  curl -s "http://127.0.0.1:$SIDECAR_ADMIN/metrics" \
    | grep -E '^shadowcar_tee_(copies|skipped|dropped)_total|^shadowcar_diff_exchanges_total' \
    | sed "s/^/    [$1] /" || true
  stop_sidecar
done

echo
awk '
  { label=$1; for (i=3;i<=NF;i++){ split($i,kv,"="); v[label,kv[1]]=kv[2] } order[n++]=label }
  END {
    d=v["direct","rps"]
    printf "%-22s %10s %9s %9s %9s %8s %9s\n","case","calls/s","p50 ms","p99 ms","p99.9 ms","errors","x direct"
    for (i=0;i<n;i++){ l=order[i]
      printf "%-22s %10.0f %9.2f %9.2f %9.2f %8d %9.2f\n", l, v[l,"rps"], v[l,"p50"]/1000, v[l,"p99"]/1000,
        v[l,"p999"]/1000, v[l,"errors"], v[l,"rps"]/d }
  }' "$WORK/results"
