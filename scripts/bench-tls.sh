#!/usr/bin/env bash
# Throughput of shadowcar's traffic port over TLS against the same port in plain HTTP, on loopback, in one run.
#
#   scripts/bench-tls.sh                       # defaults: 15 s warm-up + 10 s measured per case, 64 connections
#   DURATION=20s CONNECTIONS=128 scripts/bench-tls.sh
#
# Needs: java, wrk and openssl (Debian packages; installed with apt-get when missing and we are root).
# One primary (the demo's sample service) and one sidecar per mode (tee off, so only the port's cost is measured),
# every server on 127.0.0.1. The certificate is a throwaway self-signed EC P-256 one made here (wrk does not verify);
# TLS is the JDK's own engine (SunJSSE), as in production.
# Cases, each TLS against plain:
#   keep-alive   connections reused (wrk's default): the cost of encrypting the bytes (AES-GCM, TLS 1.3)
#   new-conn     "Connection: close" on every request: a TCP connect and a full handshake per request
# Prints requests/s, p50/p99 and the TLS / plain throughput ratio per case. Reports; it judges nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
JAR=launcher/target/shadowcar.jar
WORK=$(mktemp -d /tmp/shadowcar-bench-tls.XXXXXX)
. scripts/bench/lib.sh
require_tools "wrk openssl" "wrk openssl"
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null

PRIMARY=$(free_port)
java -Xmx512m -XX:+UseParallelGC -cp "$JAR" io.shadowcar.launcher.demo.SampleService \
  --name primary --port "$PRIMARY" --delay-ms 0 --quiet >"$WORK/primary.log" 2>&1 &
PIDS+=($!); wait_port "$PRIMARY"

SIDECAR_OPTS=(${SHADOWCAR_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError})
start_sidecar() { # name [extra -D options]
  local port admin; port=$(free_port); admin=$(free_port)
  java "${SIDECAR_OPTS[@]}" \
    -Dshadowcar.proxy.host=127.0.0.1 -Dshadowcar.proxy.port="$port" -Dshadowcar.admin.port="$admin" \
    -Dshadowcar.primary.targets="http://127.0.0.1:$PRIMARY" -Dshadowcar.shadow.enabled=false \
    -Dshadowcar.data.dir="$WORK/data-$1" "${@:2}" \
    -jar "$JAR" >"$WORK/sidecar-$1.log" 2>&1 &
  SIDECAR_PID=$!; PIDS+=($SIDECAR_PID); wait_port "$port"
  SIDECAR_PORT=$port
}
stop_sidecar() { kill "$SIDECAR_PID" 2>/dev/null || true; wait "$SIDECAR_PID" 2>/dev/null || true; }

URL_PATH=/users/42?view=full
run_wrk() { # label url [wrk options]
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s scripts/bench/latency.lua "${@:3}" "$2" >/dev/null
  local line; line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s scripts/bench/latency.lua "${@:3}" "$2" \
    | grep '^RESULT')
  echo "$1 $line" | tee -a "$WORK/results"
}

echo "# wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a ${WARMUP} warm-up per case), $(nproc) cores, work dir $WORK"
start_sidecar plain
run_wrk plain-keepalive "http://127.0.0.1:$SIDECAR_PORT$URL_PATH"
run_wrk plain-newconn "http://127.0.0.1:$SIDECAR_PORT$URL_PATH" -H "Connection: close"
stop_sidecar
start_sidecar tls -Dshadowcar.proxy.tls.certFile="$WORK/tls.crt" -Dshadowcar.proxy.tls.keyFile="$WORK/tls.key"
grep -q "proxy listening on https://" "$WORK/sidecar-tls.log" || { echo "TLS sidecar did not start" >&2; exit 1; }
run_wrk tls-keepalive "https://127.0.0.1:$SIDECAR_PORT$URL_PATH"
run_wrk tls-newconn "https://127.0.0.1:$SIDECAR_PORT$URL_PATH" -H "Connection: close"
stop_sidecar

echo
awk '
  { label=$1; for (i=3;i<=NF;i++){ split($i,kv,"="); v[label,kv[1]]=kv[2] } order[n++]=label }
  END {
    printf "%-18s %10s %9s %9s %8s\n","case","req/s","p50 ms","p99 ms","errors"
    for (i=0;i<n;i++){ l=order[i]
      printf "%-18s %10.0f %9.2f %9.2f %8d\n", l, v[l,"rps"], v[l,"p50"]/1000, v[l,"p99"]/1000, v[l,"errors"] }
    printf "\nTLS / plain throughput, keep-alive connections: %.2f\n", v["tls-keepalive","rps"]/v["plain-keepalive","rps"]
    printf "TLS / plain throughput, a new connection per request: %.2f\n", v["tls-newconn","rps"]/v["plain-newconn","rps"]
  }' "$WORK/results"
