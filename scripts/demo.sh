#!/usr/bin/env bash
# Self-contained shadowcar demo: sample primary (v1) and shadow (v2) services, the sidecar, some traffic.
# Needs only Java 17+ (and Maven's wrapper downloads Maven) and curl. Ctrl-C stops everything.
#   scripts/demo.sh          run, send traffic, keep running until Ctrl-C
#   scripts/demo.sh --once   run, send traffic, print the results, stop
# Ports (override with env): V1_PORT=8081 V2_PORT=8082; the sidecar uses 7000 (traffic) and 7070 (admin).
set -euo pipefail
cd "$(dirname "$0")/.."

V1_PORT=${V1_PORT:-8081}
V2_PORT=${V2_PORT:-8082}
PROXY=http://127.0.0.1:7000
ADMIN=http://127.0.0.1:7070
JAR=launcher/target/shadowcar.jar
ONCE=${1:-}

command -v java >/dev/null || { echo "demo: java (17+) is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "demo: curl is required" >&2; exit 1; }
if [ ! -f "$JAR" ]; then
  echo "building $JAR (first run downloads dependencies) ..."
  ./mvnw -q -B -DskipTests package
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/shadowcar-demo.XXXXXX")
PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "demo stopped; logs kept in $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for NAME URL PID LOG: until URL answers, or fail with the log when the process died
wait_for() {
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$2" 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "demo: $1 exited:" >&2; cat "$4" >&2; exit 1; fi
    sleep 0.5
  done
  echo "demo: $1 did not come up at $2" >&2; cat "$4" >&2; exit 1
}

java -Xmx64m -cp "$JAR" io.shadowcar.launcher.demo.SampleService --name v1 --port "$V1_PORT" >"$WORK/v1-primary.log" 2>&1 &
PIDS+=($!); V1_PID=$!
java -Xmx64m -cp "$JAR" io.shadowcar.launcher.demo.SampleService --name v2 --port "$V2_PORT" >"$WORK/v2-shadow.log" 2>&1 &
PIDS+=($!); V2_PID=$!
wait_for v1 "http://127.0.0.1:$V1_PORT/health" "$V1_PID" "$WORK/v1-primary.log"
wait_for v2 "http://127.0.0.1:$V2_PORT/health" "$V2_PID" "$WORK/v2-shadow.log"

printf 'shadowcar.shadow.sample.percent=100\nshadowcar.shadow.enabled=true\n' >"$WORK/dynamic.properties"
java -Xmx256m -XX:+ExitOnOutOfMemoryError \
  -Dshadowcar.primary.targets="http://127.0.0.1:$V1_PORT" -Dshadowcar.shadow.targets="http://127.0.0.1:$V2_PORT" \
  -Dshadowcar.config.dynamic.file="$WORK/dynamic.properties" \
  -jar "$JAR" --config docs/examples/demo.properties >"$WORK/sidecar.log" 2>&1 &
PIDS+=($!); SIDECAR_PID=$!
wait_for sidecar "$ADMIN/metrics" "$SIDECAR_PID" "$WORK/sidecar.log"
wait_for "sidecar proxy" "$PROXY/health" "$SIDECAR_PID" "$WORK/sidecar.log"

echo "sending traffic through $PROXY ..."
for i in $(seq 1 20); do
  curl -fsS -H "X-Request-Id: demo-hello-$i" "$PROXY/hello?name=user$i" >/dev/null
  curl -fsS -H "X-Request-Id: demo-user-$i" "$PROXY/users/$i" >/dev/null
done
for i in $(seq 1 3); do
  curl -fsS -X POST -H 'content-type: application/json' -d "{\"item\":$i}" "$PROXY/orders" >/dev/null
  curl -fsS -X DELETE "$PROXY/users/$i" -o /dev/null || true   # unsafe, no route opts in: never copied
done
echo "one answer from the primary, through the sidecar:"
curl -fsS "$PROXY/hello?name=demo"; echo

sleep 1   # copies are fire-and-forget: give the last ones a moment before counting
echo
echo "copies and drops (from $ADMIN/metrics):"
curl -fsS "$ADMIN/metrics" | grep -E '^shadowcar_(tee|shadow)_[a-z_]*(total|count)' | grep -v '^#' | sed 's/^/  /' || true
echo "requests seen by the shadow (v2): $(grep -c 'shadow=true' "$WORK/v2-shadow.log" || true) — last ones:"
grep 'shadow=true' "$WORK/v2-shadow.log" | tail -3 | sed 's/^/  /' || true

cat <<INFO

where to look:
  traffic port     $PROXY/hello?name=you          (the primary v1 answers)
  admin page       $ADMIN/
  health / ready   $ADMIN/healthcheck   $ADMIN/ready
  metrics          $ADMIN/metrics       (shadowcar_tee_copies_total, shadowcar_tee_dropped_total{reason=...})
  effective config $ADMIN/api/config
  shadow log       $WORK/v2-shadow.log  (every copy: shadow=true and the caller's X-Request-Id)
  sidecar log      $WORK/sidecar.log
  live config      edit $WORK/dynamic.properties (e.g. shadowcar.shadow.sample.percent=10 or
                   shadowcar.shadow.enabled=false): applied within 2 s, no restart
INFO

if [ "$ONCE" = "--once" ]; then exit 0; fi
echo
echo "running; Ctrl-C to stop"
wait "$SIDECAR_PID"
