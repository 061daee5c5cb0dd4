#!/usr/bin/env bash
# Where a sidecar's CPU goes under load: a CPU (or allocation) profile of one sidecar, with async-profiler, summed up
# by layer in microseconds per request.
#
#   scripts/profile.sh                              # tee off on the sample backend: 30 s warm-up, 10 s profiled
#   CASE=slow scripts/profile.sh                    # the tee on, to a shadow that answers after 1 s
#   CASE=fast BACKEND=static scripts/profile.sh     # the tee on to a fast shadow; nginx's 1 KiB answer as primary
#   EVENT=alloc scripts/profile.sh                  # where it allocates instead of where it spends CPU
#
# CASE: off (default), fast or slow. BACKEND: sample (the demo's sample service, wrk -t2 -c64, as scripts/bench.sh)
# or static (nginx `return 200` with a 1 KiB body, wrk -t1 -c32). EVENT: cpu (default) or alloc. INTERVAL: the CPU
# sampling interval (200us). WARMUP, DURATION: load before and while profiling. JAR: another build of the sidecar.
# Needs java, wrk (and nginx for the static backend; Debian packages, installed when missing and we are root) and
# Maven Central for async-profiler (tools.profiler:async-profiler, fetched into ~/.m2 once by the Maven wrapper).
# The sidecar runs with scripts/jvm.options plus -XX:+DebugNonSafepoints (so inlined frames are named); the profiler is
# loaded into it after the warm-up (jcmd JVMTI.agent_load), so start-up and the JIT's first compilations are not in it.
# Kernel frames need perf events (as root, or kernel.perf_event_paranoid <= 1); without them the kernel's share reads
# as the JVM's. Every thread of the sidecar is counted: event loops, shadow and diff threads, the collector, the JIT.
# Writes the collapsed stacks (profile.collapsed, for any flame graph tool) and the summary (summary.md) to its work
# directory, and prints the summary. Not a test; CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/.."
CASE=${CASE:-off}
BACKEND=${BACKEND:-sample}
EVENT=${EVENT:-cpu}
INTERVAL=${INTERVAL:-200us}
WARMUP=${WARMUP:-30s}
DURATION=${DURATION:-10s}
PROFILER_VERSION=4.2
JAR=${JAR:-launcher/target/shadowcar.jar}
WORK=$(mktemp -d /tmp/shadowcar-profile.XXXXXX)
. scripts/bench/lib.sh # need, require_tools, free_port, wait_port, start_sample, cpu_ticks, us_per_request
case "$CASE" in off | fast | slow) ;; *) echo "CASE must be off, fast or slow, not '$CASE'" >&2; exit 2 ;; esac
case "$BACKEND" in sample | static) ;; *) echo "BACKEND must be sample or static, not '$BACKEND'" >&2; exit 2 ;; esac
case "$EVENT" in cpu | alloc) ;; *) echo "EVENT must be cpu or alloc, not '$EVENT'" >&2; exit 2 ;; esac
need java || { echo "scripts/profile.sh needs java (17 or later)" >&2; exit 2; }
need jcmd || { echo "scripts/profile.sh needs jcmd (a JDK, not a JRE)" >&2; exit 2; }
if [ "$BACKEND" = static ]; then require_tools "wrk nginx" "wrk nginx"; else require_tools wrk wrk; fi
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package

# async-profiler's native library, from its jar on Maven Central
case "$(uname -m)" in x86_64) PLATFORM=linux-x64 ;; aarch64) PLATFORM=linux-arm64 ;;
  *) echo "async-profiler has no library for $(uname -m)" >&2; exit 2 ;; esac
PROFILER_JAR=${HOME}/.m2/repository/tools/profiler/async-profiler/$PROFILER_VERSION/async-profiler-$PROFILER_VERSION.jar
[ -f "$PROFILER_JAR" ] || ./mvnw -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$PROFILER_VERSION"
(cd "$WORK" && jar xf "$PROFILER_JAR" "$PLATFORM/libasyncProfiler.so")
PROFILER_LIB=$WORK/$PLATFORM/libasyncProfiler.so

PRIMARY=$(free_port)
if [ "$BACKEND" = static ]; then
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx.conf" <<NGX
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
worker_processes 1;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$PRIMARY; keepalive_requests 1000000;
    location / { return 200 "$(head -c 1024 /dev/zero | tr '\0' 'x')"; } } }
NGX
  nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' >"$WORK/nginx.log" 2>&1 &
  PIDS+=($!); wait_port "$PRIMARY"
  LOAD=(-t1 -c32)
else
  start_sample primary "$PRIMARY" 0
  LOAD=(-t2 -c64)
fi
SHADOW_ENABLED=false SHADOW_URL=""
if [ "$CASE" != off ]; then
  SHADOW=$(free_port); start_sample "shadow-$CASE" "$SHADOW" "$([ "$CASE" = slow ] && echo 1000 || echo 0)"
  SHADOW_ENABLED=true SHADOW_URL="http://127.0.0.1:$SHADOW"
fi

mapfile -t JVM_OPTS < <(grep -vE '^\s*(#|$)' scripts/jvm.options)
[ -f "${JAR%.jar}.jsa" ] && JVM_OPTS+=(-XX:SharedArchiveFile="${JAR%.jar}.jsa")
PORT=$(free_port) ADMIN=$(free_port)
java "${JVM_OPTS[@]}" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
  -Dshadowcar.proxy.host=127.0.0.1 -Dshadowcar.proxy.port="$PORT" -Dshadowcar.admin.port="$ADMIN" \
  -Dshadowcar.health.port=-1 -Dshadowcar.primary.targets="http://127.0.0.1:$PRIMARY" \
  -Dshadowcar.shadow.enabled="$SHADOW_ENABLED" -Dshadowcar.shadow.targets="$SHADOW_URL" \
  -Dshadowcar.data.dir="$WORK/data" -jar "$JAR" >"$WORK/sidecar.log" 2>&1 &
SIDECAR=$!; PIDS+=($SIDECAR); wait_port "$PORT"
URL="http://127.0.0.1:$PORT/users/42?view=full"
echo "case $CASE, backend $BACKEND, event $EVENT; work dir $WORK; warming up for $WARMUP" >&2
wrk "${LOAD[@]}" -d"$WARMUP" "$URL" >/dev/null

agent() { # async-profiler command; jcmd reads key=value arguments itself, so the command goes in quotes
  jcmd "$SIDECAR" JVMTI.agent_load "$PROFILER_LIB" "\"$1\"" >"$WORK/jcmd.log" 2>&1 \
    && grep -q 'return code: 0' "$WORK/jcmd.log" \
    || { echo "async-profiler failed ($1): $(cat "$WORK/jcmd.log"); see $WORK/sidecar.log" >&2; exit 1; }
}
if [ "$EVENT" = cpu ]; then agent "start,event=cpu,interval=$INTERVAL"; else agent "start,event=alloc"; fi
t0=$(cpu_ticks "$SIDECAR")
RESULT=$(wrk "${LOAD[@]}" -d"$DURATION" -s scripts/bench/latency.lua "$URL" | grep '^RESULT')
t1=$(cpu_ticks "$SIDECAR")
agent "stop,file=$WORK/profile.collapsed,collapsed"
REQUESTS=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$RESULT")
US_PER_REQUEST=$(us_per_request $((t1 - t0)) "$REQUESTS" 2)

# The summary. A sample belongs to the layer of its innermost frame that names one (kernel, Netty, Vert.x, shadowcar,
# Micrometer, the JDK); its share times the CPU per request gives that layer's microseconds per request.
{
  echo "## Profile: case $CASE, backend $BACKEND, event $EVENT ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "load: wrk ${LOAD[*]} -d$DURATION after $WARMUP; ${RESULT#RESULT }; sidecar CPU $US_PER_REQUEST µs per request"
  echo
  awk -v us="$US_PER_REQUEST" -v event="$EVENT" '
    function layer(f) {
      if (event == "alloc" && f ~ /_\[[ik]\]$/) return "" # the allocated type, in or outside a TLAB
      if (f ~ /_\[k\]$/) return "kernel"
      if (f ~ /^io\/netty\//) return "Netty"
      if (f ~ /^io\/vertx\//) return "Vert.x"
      if (f ~ /^io\/shadowcar\//) return "shadowcar"
      if (f ~ /^io\/micrometer\//) return "Micrometer"
      if (f ~ /^(java|javax|jdk|sun)\//) return "JDK"
      return ""
    }
    {
      n = $NF; stack = substr($0, 1, length($0) - length($NF) - 1); total += n
      k = split(stack, fr, ";"); self[fr[k]] += n
      l = "other"; for (i = k; i >= 1; i--) { x = layer(fr[i]); if (x != "") { l = x; break } }
      lay[l] += n
      delete seen
      for (i = 1; i <= k; i++) if (fr[i] ~ /^io\/shadowcar\// && !(fr[i] in seen)) { seen[fr[i]] = 1; own[fr[i]] += n }
    }
    function top(arr, count, title, code,   i, j, best, bk, shown, q) {
      print "| " title " | % of samples" (event == "cpu" ? " | µs per request" : "") " |"
      print "|---|---|" (event == "cpu" ? "---|" : "")
      for (i = 1; i <= count; i++) {
        best = -1; bk = ""
        for (j in arr) if (!(j in shown) && arr[j] > best) { best = arr[j]; bk = j }
        if (bk == "") break
        shown[bk] = 1; gsub(/\|/, "\\|", bk); q = code ? "`" : ""
        if (event == "cpu") printf "| %s%s%s | %.2f | %.3f |\n", q, bk, q, 100 * best / total, us * best / total
        else printf "| %s%s%s | %.2f |\n", q, bk, q, 100 * best / total
      }
      print ""
    }
    END {
      if (total == 0) { print "no samples"; exit 1 }
      printf "%d samples\n\n", total
      top(lay, 10, "layer (innermost frame)", 0)
      top(self, 20, event == "cpu" ? "frame (self)" : "type allocated", 1)
      top(own, 15, "shadowcar frame (inclusive)", 1)
    }' "$WORK/profile.collapsed"
} >"$WORK/summary.md"
cat "$WORK/summary.md"
echo "collapsed stacks: $WORK/profile.collapsed" >&2
