#!/usr/bin/env bash
# SIGTERM under keep-alive load, against the built jar on loopback: CALLERS keep-alive connections send GETs in a loop,
# after WARM seconds the sidecar gets SIGTERM; prints how many requests were cut (sent without a whole response), when
# /healthcheck turned 503, when the last request was served and when the process exited. About 30 s. A benchmark, not
# a test.
#
#   scripts/bench-shutdown.sh
#   CALLERS=64 WARM=5 NOT_READY_MS=5000 DRAIN_SECONDS=10 scripts/bench-shutdown.sh
#   JAR=/path/to/older/shadowcar.jar NOT_READY_MS= scripts/bench-shutdown.sh   # a build without the not-ready delay
#
# Every server binds 127.0.0.1. Exit code 0 when no request was cut and the sidecar exited 0.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-launcher/target/shadowcar.jar}
CALLERS=${CALLERS:-64}
WARM=${WARM:-5}
NOT_READY_MS=${NOT_READY_MS-5000}
DRAIN_SECONDS=${DRAIN_SECONDS:-10}
WORK=$(mktemp -d /tmp/shadowcar-stop.XXXXXX)
. scripts/bench/lib.sh # free_port, wait_port
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package

PRIMARY=$(free_port); PROXY=$(free_port); ADMIN=$(free_port)
java -Xmx256m -cp "$JAR" io.shadowcar.launcher.demo.SampleService --name primary --port "$PRIMARY" --quiet \
  >"$WORK/primary.log" 2>&1 &
PIDS+=($!); wait_port "$PRIMARY"
java -Xmx512m \
  -Dshadowcar.proxy.host=127.0.0.1 -Dshadowcar.proxy.port="$PROXY" -Dshadowcar.proxy.eventLoops=2 \
  -Dshadowcar.admin.port="$ADMIN" -Dshadowcar.primary.targets="http://127.0.0.1:$PRIMARY" \
  -Dshadowcar.data.dir="$WORK/data" -Dshadowcar.proxy.drainSeconds="$DRAIN_SECONDS" \
  ${NOT_READY_MS:+-Dshadowcar.proxy.shutdown.notReadyDelay.ms="$NOT_READY_MS"} \
  -jar "$JAR" >"$WORK/sidecar.log" 2>&1 &
SIDECAR=$!; PIDS+=($SIDECAR); wait_port "$PROXY"
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN/healthcheck")" = 200 ] && break; sleep 0.1
done

echo "# $CALLERS keep-alive callers, SIGTERM after $WARM s, against $JAR (notReadyDelay $NOT_READY_MS ms," \
  "drainSeconds $DRAIN_SECONDS, $(nproc) cores, work dir $WORK)"
set +e
java scripts/bench/KeepAliveStop.java "$PROXY" "$ADMIN" "$SIDECAR" "$CALLERS" "$WARM"
RESULT=$?
wait "$SIDECAR"
CODE=$?
set -e
echo "sidecar exit code: $CODE"
grep -E "stopping|stopped" "$WORK/sidecar.log" | sed 's/^/  /' || true
[ "$RESULT" = 0 ] && [ "$CODE" = 0 ]
