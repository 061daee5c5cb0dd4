#!/usr/bin/env bash
# Slow-upload attack on loopback: UPLOADERS connections each send a small POST body one byte every 5 s while CALLERS
# keep-alive connections send normal GETs for DURATION_SECONDS; prints the GETs' success rate and p99 against the goal
# (100 % answered 200, p99 under 100 ms). A benchmark, not a test: it needs the built jar and takes about a minute.
#
#   scripts/bench-slow-clients.sh
#   UPLOADERS=600 DURATION_SECONDS=60 CALLERS=8 BODY_BYTES=1000 scripts/bench-slow-clients.sh
#   JAR=/path/to/other/shadowcar.jar scripts/bench-slow-clients.sh     # e.g. an older build, for comparison
#   SIDECAR_FLAGS="-Dshadowcar.proxy.requestBuffer.bytes=0" scripts/bench-slow-clients.sh   # buffering off
#
# Every server binds 127.0.0.1. Exit code 0 when the goal was met, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-launcher/target/shadowcar.jar}
UPLOADERS=${UPLOADERS:-600}
BODY_BYTES=${BODY_BYTES:-1000}
CALLERS=${CALLERS:-8}
SECONDS_MEASURED=${DURATION_SECONDS:-60}
EVENT_LOOPS=${EVENT_LOOPS:-2}
WORK=$(mktemp -d /tmp/shadowcar-slow.XXXXXX)
. scripts/bench/lib.sh # free_port, wait_port
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package
ulimit -n 4096 2>/dev/null || true

PRIMARY=$(free_port); PROXY=$(free_port); ADMIN=$(free_port)
java -Xmx256m -cp "$JAR" io.shadowcar.launcher.demo.SampleService --name primary --port "$PRIMARY" --quiet \
  >"$WORK/primary.log" 2>&1 &
PIDS+=($!); wait_port "$PRIMARY"
# shellcheck disable=SC2086
java -Xmx512m ${SIDECAR_FLAGS:-} \
  -Dshadowcar.proxy.host=127.0.0.1 -Dshadowcar.proxy.port="$PROXY" -Dshadowcar.proxy.eventLoops="$EVENT_LOOPS" \
  -Dshadowcar.admin.port="$ADMIN" -Dshadowcar.primary.targets="http://127.0.0.1:$PRIMARY" \
  -Dshadowcar.data.dir="$WORK/data" \
  -jar "$JAR" >"$WORK/sidecar.log" 2>&1 &
PIDS+=($!); wait_port "$PROXY"

echo "# $UPLOADERS slow uploads + $CALLERS GET callers for $SECONDS_MEASURED s against $JAR ($EVENT_LOOPS event loops," \
  "$(nproc) cores, work dir $WORK)"
set +e
java scripts/bench/SlowCallers.java "$PROXY" /api/users/42 "$UPLOADERS" "$BODY_BYTES" "$CALLERS" "$SECONDS_MEASURED"
RESULT=$?
set -e
curl -s "http://127.0.0.1:$ADMIN/metrics" | grep -E '^shadowcar_(proxy_(rejected|connections|request)|primary_errors)' \
  | grep -v ' 0.0$' | sed 's/^/  /' || true
curl -s "http://127.0.0.1:$ADMIN/api/tee" | python3 -c 'import json,sys
d=json.load(sys.stdin)
for t in d.get("primary", []): print("  primary", t["target"], "breaker", t["breaker"])' 2>/dev/null || true
exit $RESULT
