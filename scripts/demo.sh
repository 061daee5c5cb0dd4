#!/usr/bin/env bash
# Self-contained shadowcar demo: a primary (v1), a secondary (another v1), a candidate (v2), the sidecar in front of
# the primary, about 30 s of traffic, then a summary of what the diff found. Ctrl-C stops everything.
#   scripts/demo.sh          run, send traffic, summarise, keep running (dashboard stays up) until Ctrl-C
#   scripts/demo.sh --once   run, send traffic, summarise, stop
# Needs Java 17+ and curl (the Maven wrapper downloads Maven); python3 or jq make the summary a table.
# Ports, all on 127.0.0.1 (override with env):
#   PROXY_PORT=7000  the sidecar's traffic port       ADMIN_PORT=7070  its admin port (dashboard, metrics, health)
#   HEALTH_PORT=7071 its read-only health port (what a load balancer would probe)
#   V1_PORT=8081     v1, the primary                  V1B_PORT=8083    v1 again, the secondary
#   V2_PORT=8082     v2, the candidate
#   e.g. PROXY_PORT=17000 ADMIN_PORT=17070 scripts/demo.sh --once
# Other knobs: ROUNDS=100 (traffic rounds per caller), CURL_MAX_TIME=10 (seconds any one curl call may take).
#
# v2 differs from v1 in three known ways (see SampleApi): GET /api/users/{id} answers another "tier" for a third of
# the users, GET /api/search is 3x slower, GET /api/orders/{id} answers 500 for ids that are multiples of 7.
# Every answer also names its instance and carries its clock ("servedAt"): those differ between any two instances,
# and the secondary is what lets the diff call them noise.
set -euo pipefail
cd "$(dirname "$0")/.."

V1_PORT=${V1_PORT:-8081}
V2_PORT=${V2_PORT:-8082}
V1B_PORT=${V1B_PORT:-8083}
PROXY_PORT=${PROXY_PORT:-7000}
ADMIN_PORT=${ADMIN_PORT:-7070}
HEALTH_PORT=${HEALTH_PORT:-7071}
PROXY=http://127.0.0.1:$PROXY_PORT
ADMIN=http://127.0.0.1:$ADMIN_PORT
CURL_MAX_TIME=${CURL_MAX_TIME:-10}
# Latency verdicts need care here: the four JVMs of the demo share two cores, and until they have compiled their hot
# paths a compilation burst stalls every answer in flight for tens of milliseconds. A p99 over 180 answers (30 rounds)
# is its second-largest, so one stall could make an unchanged endpoint read "slower" (three runs in nine did). Hence
# a warm-up, 100 measured rounds (600 answers per endpoint: one stall no longer sets a p99), and in demo.properties a
# floor under the latency factor (shadowcar.diff.latency.minDelta.ms=50) that v2's 100 ms slower search clears and
# the stalls seen so far do not (at 100 rounds, unchanged endpoints were at most 23 ms above the secondary's p99).
WARMUP_ROUNDS=50
CALLERS=6
JAR=launcher/target/shadowcar.jar
ONCE=${1:-}
ROUNDS=${ROUNDS:-100}   # per traffic worker; 6 workers, 4 API calls a round: ~600 requests per endpoint

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
  echo "demo stopped; logs and diff results kept in $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for NAME URL PID LOG: until URL answers, or fail with the log when the process died
wait_for() {
  for _ in $(seq 1 120); do
    if curl -fsS --max-time 2 -o /dev/null "$2" 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "demo: $1 exited:" >&2; cat "$4" >&2; exit 1; fi
    sleep 0.5
  done
  echo "demo: $1 did not come up at $2" >&2; cat "$4" >&2; exit 1
}

# start_sample NAME VARIANT PORT: one SampleService; sets SAMPLE_PID
start_sample() {
  java -Xmx64m -cp "$JAR" io.shadowcar.launcher.demo.SampleService --name "$1" --variant "$2" --port "$3" \
    >"$WORK/$1.log" 2>&1 &
  SAMPLE_PID=$!; PIDS+=("$SAMPLE_PID")
}

# traffic_config BASE ROUNDS SEED: a curl config (one process, one kept-alive connection) with a shuffled, realistic
# mix of API calls; curl prints each answer's status, the bodies go to /dev/null
traffic_config() {
  local words=(socks shoes hat scarf gloves jacket boots belt) i
  RANDOM=$3
  for i in $(seq 1 "$2"); do
    local calls=("api/users/$((RANDOM % 60 + 1))" "api/orders/$((RANDOM % 500 + 1))"
                 "api/search?q=${words[RANDOM % ${#words[@]}]}" "api/products/$((RANDOM % 100 + 1))")
    local first=$((RANDOM % 4)) k
    for k in 0 1 2 3; do
      printf 'url = "%s/%s"\noutput = "/dev/null"\n' "$1" "${calls[(first + k) % 4]}"
    done
  done
}

# send_traffic BASE ROUNDS: CALLERS concurrent callers; prints how many answers per status
send_traffic() {
  local w pids=()
  for w in $(seq 1 "$CALLERS"); do
    traffic_config "$1" "$2" "$w$2" >"$WORK/traffic-$w.curl"
    curl -sS --max-time "$CURL_MAX_TIME" -K "$WORK/traffic-$w.curl" -w '%{http_code}\n' >"$WORK/traffic-$w.status" 2>>"$WORK/traffic.err" &
    pids+=($!); PIDS+=($!)
  done
  wait "${pids[@]}" || true
  cat "$WORK"/traffic-*.status | sort | uniq -c | awk '{printf "  %s answers with status %s\n", $1, $2}'
}

start_sample v1-primary v1 "$V1_PORT"; V1_PID=$SAMPLE_PID
start_sample v1-secondary v1 "$V1B_PORT"; V1B_PID=$SAMPLE_PID
start_sample v2-candidate v2 "$V2_PORT"; V2_PID=$SAMPLE_PID
wait_for "v1 (primary)" "http://127.0.0.1:$V1_PORT/health" "$V1_PID" "$WORK/v1-primary.log"
wait_for "v1 (secondary)" "http://127.0.0.1:$V1B_PORT/health" "$V1B_PID" "$WORK/v1-secondary.log"
wait_for "v2 (candidate)" "http://127.0.0.1:$V2_PORT/health" "$V2_PID" "$WORK/v2-candidate.log"

printf 'shadowcar.shadow.sample.percent=100\nshadowcar.shadow.enabled=true\n' >"$WORK/dynamic.properties"
# The production flags, and the class-data archive the package step writes next to the jar (faster start) if present.
CDS=(); [ -f "${JAR%.jar}.jsa" ] && CDS=(-XX:SharedArchiveFile="${JAR%.jar}.jsa")
java @scripts/jvm.options "${CDS[@]}" \
  -Dshadowcar.primary.targets="http://127.0.0.1:$V1_PORT" -Dshadowcar.shadow.targets="http://127.0.0.1:$V2_PORT" \
  -Dshadowcar.shadow.secondary.targets="http://127.0.0.1:$V1B_PORT" \
  -Dshadowcar.proxy.port="$PROXY_PORT" -Dshadowcar.admin.port="$ADMIN_PORT" \
  -Dshadowcar.health.host=127.0.0.1 -Dshadowcar.health.port="$HEALTH_PORT" \
  -Dshadowcar.checks.primary.http="http://127.0.0.1:$V1_PORT/health" -Dshadowcar.checks.primary.interval.ms=2000 \
  -Dshadowcar.data.dir="$WORK/data" \
  -Dshadowcar.config.dynamic.file="$WORK/dynamic.properties" \
  -jar "$JAR" --config docs/examples/demo.properties >"$WORK/sidecar.log" 2>&1 &
PIDS+=($!); SIDECAR_PID=$!
wait_for sidecar "$ADMIN/metrics" "$SIDECAR_PID" "$WORK/sidecar.log"
wait_for "sidecar proxy" "$PROXY/health" "$SIDECAR_PID" "$WORK/sidecar.log"

# Fresh JVMs answer their first requests slowly: warm every path, then forget what the diff saw so far, so the
# latency comparison measures v2, not the JIT.
echo "warming up, then clearing the diff results ..."
send_traffic "$PROXY" "$WARMUP_ROUNDS" >/dev/null
sleep 1
curl -fsS --max-time "$CURL_MAX_TIME" -X POST -o /dev/null "$ADMIN/api/diff/clear" || echo "demo: could not clear the diff results" >&2

echo "sending traffic through $PROXY ($CALLERS callers x $ROUNDS rounds of users, orders, search, products) ..."
send_traffic "$PROXY" "$ROUNDS"
for i in 1 2 3; do
  curl -fsS --max-time "$CURL_MAX_TIME" -X POST -H 'content-type: application/json' -d "{\"item\":$i}" -o /dev/null \
    "$PROXY/orders"
  curl -fsS --max-time "$CURL_MAX_TIME" -X DELETE -o /dev/null "$PROXY/users/$i" || true   # unsafe, no route opts in: never copied
done
echo "one answer from the primary, through the sidecar:"
curl -fsS --max-time "$CURL_MAX_TIME" "$PROXY/api/users/3"; echo

sleep 2   # copies are fire-and-forget: give the last ones a moment before counting
echo
echo "copies, drops and diff verdicts (non-zero counters from $ADMIN/metrics):"
curl -fsS --max-time "$CURL_MAX_TIME" "$ADMIN/metrics" >"$WORK/metrics.txt" || : >"$WORK/metrics.txt"
grep -E '^shadowcar_(tee|diff)_[a-z_]*_total' "$WORK/metrics.txt" | grep -Ev ' 0(\.0)?$' | sed 's/^/  /' || true

# Why the copies are fewer than the requests: every request through the proxy is counted, but only safe methods
# (and routes that opt in) are copied; the warm-up's copies are in these counters but not in the diff (cleared).
total() { awk -v pattern="$1" '$0 ~ pattern { sum += $NF } END { printf "%d", sum }' "$WORK/metrics.txt"; }
REQUESTS=$(total '^shadowcar_primary_requests_seconds_count')
COPIES=$(total '^shadowcar_tee_copies_total.*result="sent"')
SKIPPED=$(total '^shadowcar_tee_skipped_total')
DROPPED=$(total '^shadowcar_tee_dropped_total')
TRAFFIC=$(cat "$WORK"/traffic-*.status | wc -l)
WARMUP=$((WARMUP_ROUNDS * CALLERS * 4))
PROBES=$((REQUESTS - WARMUP - TRAFFIC - 7))
cat <<COUNTS

why copies != requests:
  the proxy answered $REQUESTS requests: $WARMUP warm-up, $TRAFFIC traffic, 7 single calls (3 POST /orders, 3 DELETE,
  GET /api/users/3) and $PROBES start-up probe(s) (GET $PROXY/health until the proxy answered)
  it sent $COPIES copies: all but $SKIPPED skipped by policy and $DROPPED dropped at a bound. The DELETEs are unsafe and
  no route opts them in (reason="unsafe_method"); POST /orders is copied only because its route opts in
  the diff table below counts only what came after the warm-up (POST /api/diff/clear): the warm-up's and the
  probe's copies are in the counters above, not in the table
  the health check (GET http://127.0.0.1:$V1_PORT/health every 2 s) goes from the sidecar to v1 directly: neither a
  request through the proxy nor a copy; the request to the secondary belongs to its copy and is not counted apart
COUNTS

# The health half: the sidecar's checks (here one, on the primary) and what /ready says.
echo
echo "health (from $ADMIN/api/checks and $ADMIN/ready):"
if curl -fsS --max-time "$CURL_MAX_TIME" "$ADMIN/api/checks" >"$WORK/checks.json" && command -v python3 >/dev/null; then
  python3 - "$WORK/checks.json" <<'PY2' || cat "$WORK/checks.json"
import json, sys
for check in json.load(open(sys.argv[1])):
    output = (check.get("output") or "").strip().splitlines()
    print("  check %-10s %-8s runs %-4s %s" % (check["name"], check["status"], check.get("runs"),
                                               output[0][:70] if output else ""))
PY2
else
  cat "$WORK/checks.json" 2>/dev/null; echo
fi
echo "  ready: $(curl -sS --max-time "$CURL_MAX_TIME" "$ADMIN/ready" || echo 'no answer')"

# The summary: one row per endpoint from /api/diff/endpoints (+ the real fields from /api/diff/endpoint).
echo
echo "what the diff found (from $ADMIN/api/diff/endpoints):"
if ! curl -fsS --max-time "$CURL_MAX_TIME" "$ADMIN/api/diff/endpoints" >"$WORK/endpoints.json"; then
  echo "  no answer: is shadowcar.diff.enabled false? see $WORK/sidecar.log"
elif command -v python3 >/dev/null; then
  python3 - "$ADMIN" "$WORK/endpoints.json" <<'PY' || cat "$WORK/endpoints.json"
import json, sys, urllib.parse, urllib.request
admin, path = sys.argv[1], sys.argv[2]
rows = json.load(open(path))["endpoints"]

def real_fields(key, count):
    url = admin + "/api/diff/endpoint?key=" + urllib.parse.quote(key, safe="")
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            fields = json.load(answer)["fields"]
    except (OSError, ValueError, KeyError):
        return ["%d field(s)" % count]
    return [f["path"] for f in fields if f["classification"] == "REAL"]

print("  %-22s %8s %9s %6s %16s %14s  %s" % ("endpoint", "requests", "differing", "noise",
                                              "p99 ms (p -> c)", "5xx % (p -> c)", "verdict"))
for e in rows:
    p, c = e["primary"], e["candidate"]
    verdict = []
    if e["realFields"]:
        names = real_fields(e["endpoint"], e["realFields"])
        verdict.append("changed: " + ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""))
    if e["slower"]:
        verdict.append("SLOWER")
    if e["failing"]:
        verdict.append("FAILING")
    if not verdict:
        verdict.append("noise only" if e["noise"] else "same")
    latency = "%.1f -> %.1f" % (p["p99Micros"] / 1000, c["p99Micros"] / 1000)
    errors = "%.1f -> %.1f" % (p["errorRate"], c["errorRate"])
    print("  %-22s %8d %8.1f%% %6d %16s %14s  %s" % (e["endpoint"], e["requests"], e["differingRate"], e["noise"],
                                                    latency, errors, "; ".join(verdict)))
PY
elif command -v jq >/dev/null; then
  jq -r '.endpoints[] | "  \(.endpoint): \(.requests) requests, \(.differing) differing, \(.noise) noise only, p99 ms "
    + "\(.primary.p99Micros / 1000) -> \(.candidate.p99Micros / 1000), 5xx % \(.primary.errorRate) -> "
    + "\(.candidate.errorRate); \([if .realFields > 0 then "\(.realFields) real field(s)" else empty end,
    if .slower then "SLOWER" else empty end, if .failing then "FAILING" else empty end] | join(", "))"' \
    "$WORK/endpoints.json" || cat "$WORK/endpoints.json"
else
  cat "$WORK/endpoints.json"; echo
fi

cat <<INFO

expected: GET /api/users/{id} changed body.tier, GET /api/search SLOWER, GET /api/orders/{id} FAILING (and its
status and body changed), GET /api/products/{id} and POST /orders noise only (body.servedAt, body.service differ
between any two instances; the secondary shows it). Slower means p99 over 1.2x the secondary's and 50 ms above it
(docs/examples/demo.properties): four JVMs share this machine's cores, and on a busy machine a stall can still make
an unchanged endpoint read SLOWER; run the demo again then.

where to look:
  diff dashboard   $ADMIN/diff          (click an endpoint, then a field: examples side by side)
  traffic port     $PROXY/api/users/3   (the primary v1 answers)
  admin page       $ADMIN/
  health / ready   $ADMIN/healthcheck   $ADMIN/ready
  metrics          $ADMIN/metrics       (shadowcar_tee_copies_total, shadowcar_diff_exchanges_total{result=...})
  effective config $ADMIN/api/config
  logs             $WORK/{v1-primary,v1-secondary,v2-candidate,sidecar}.log
  diff store       $WORK/data/diff.db
  live config      edit $WORK/dynamic.properties (e.g. shadowcar.shadow.sample.percent=10 or
                   shadowcar.shadow.enabled=false): applied within 2 s, no restart
INFO

if [ "$ONCE" = "--once" ]; then
  echo
  echo "--once: stopping everything now; the URLs above are no longer live (logs and diff.db stay in $WORK)."
  exit 0
fi
echo
echo "running; open $ADMIN/diff — Ctrl-C to stop"
wait "$SIDECAR_PID"
