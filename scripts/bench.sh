#!/usr/bin/env bash
# Throughput, latency, memory, GC pauses and start-up of shadowcar against nginx, on loopback, in one run.
#
#   scripts/bench.sh                     # full run: about 40 min on 2 cores (see docs/benchmarks.md)
#   DURATION=5s WARMUP=5s ROUNDS=1 FLOOD=20s SOAK=60s STARTS=3 ENGINE=0 scripts/bench.sh   # quick look: ~12 min
#   ONLY='^(plain|plain-static|dead|blackhole|flood|mirror|slow|noise|noise-static)$|start' STARTS=9 ROUNDS=6 \
#     DURATION=8s ENGINE=0 scripts/bench.sh   # the goals and the noise pairs alone, six rounds: ~30 min
#   ONLY='plain|mirror' scripts/bench.sh  # only the A/B pairs whose name matches (extended regex)
#   PROCESSES=2 ROUNDS=6 ...   # each side's rounds on two sidecar processes in turn (three rounds each), not one
#   BASELINE_JAR=/tmp/old.jar ONLY=dead scripts/bench.sh   # also pair each shadowcar case against another build
#   (BASELINE_CASES='tee-off tee-dead' picks the cases; the other build runs with the same flags, without its archive)
#   BASELINE_JAR=launcher/target/shadowcar.jar BASELINE_OPTS='-Dsome.flag=x' ONLY=vs-baseline scripts/bench.sh
#   (the same build with and without a JVM flag: the @baseline side has the flag)
#   STATIC_BODY=16384 ONLY=plain-static scripts/bench.sh   # the static backend's body in bytes (default 1024)
#   SLOW_SHADOW_NICE=19 ONLY='^slow$' scripts/bench.sh   # the 1 s shadow's server behind the proxy on the cores
#
# Backends: the Java sample service (wrk -t$THREADS -c$CONNECTIONS, default -t2 -c64) and a fast static nginx that
# answers `return 200` with a 1 KiB body (another size of $STATIC_BODY bytes comes from a file; wrk -t$STATIC_THREADS
# -c$STATIC_CONNECTIONS, default -t1 -c32); the same answer chunked (nginx's sub_filter drops its length), as many
# services stream theirs, for the `plain-chunked` pair. References:
# nginx as a plain reverse proxy and with `mirror`, against both, and the least a Java proxy on Netty does
# (scripts/bench/BareNettyProxy.java), which splits the plain path's gap to nginx into ours and the platform's.
# Shadows: fast (a sample service, or a static nginx), 1 s slow, dead (a port bound, nobody listening) and black hole
# (accepts, never answers). The `noise` and `noise-static` pairs measure tee off against a second tee off: the run's
# own spread on each backend, to read the goals by. The `reconnects` pair measures tee off on the static backend, which
# closes each connection after 1,000 requests as nginx does by default, against tee off on connections it never closes.
#
# Every comparison is an A/B pair measured in rounds of A,B then B,A ($ROUNDS rounds, default 3; goal runs use 6, whose
# p99 medians move less from run to run: docs/benchmarks.md, "How many rounds a goal needs"), each measurement
# after a short warm-up ($ROUND_WARMUP); the medians of A, of B and of the per-round ratios A/B are printed against the
# goal (PASS/MISS), with the CPU time the server (proxy, or backend for "direct") spent per request, which a busy
# machine disturbs far less than req/s, and the TCP segments per request (every write on loopback, end to end). A
# sidecar is started fresh for each pair (and for each of its $PROCESSES blocks of rounds) and warmed up for $WARMUP,
# then in 5 s windows until its req/s stops rising (two windows in a row not 5 % over the best) or $WARMUP_MAX has
# passed; for
# every measurement of a sidecar the script records its peak RSS (VmHWM, reset before the window) and current RSS (VmRSS) from
# /proc/PID/status, its GC pauses in the window (max, count and mean, from -Xlog:gc), what its young collections
# left in the survivor space and promoted (gc+heap) and the heap it allocated per request
# (from its /metrics; a figure a busy machine does not move). Then, with the default JVM flags (scripts/jvm.options):
# RSS, GC pauses, full collections and the heap left after young ones under a $FLOOD flood to the black-hole shadow
# and a $SOAK soak with the 1 s shadow (long enough for promoted copies to end in a full collection), the
# start-to-ready time ($STARTS runs, median), and the diff engine alone on one core ($ENGINE=0 skips it).
#
# The sidecars run with scripts/jvm.options (the flags operators get from the Dockerfile and the docs) unless
# SHADOWCAR_JAVA_OPTS says otherwise. Needs java, wrk and nginx (installed with apt-get when missing and root).
# Every server binds 127.0.0.1. The summary ends with a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
ROUND_WARMUP=${ROUND_WARMUP:-2s}
WARMUP_MAX=${WARMUP_MAX:-120}   # seconds
ROUNDS=${ROUNDS:-3}
PROCESSES=${PROCESSES:-1}   # sidecar processes per side of a pair, each measured in its share of the rounds
[[ $PROCESSES =~ ^[1-9][0-9]*$ ]] || { echo "PROCESSES=$PROCESSES: expected a whole number >= 1" >&2; exit 2; }
FLOOD=${FLOOD:-60s}
SOAK=${SOAK:-300s}
STARTS=${STARTS:-5}
ENGINE=${ENGINE:-1}
ENGINE_EXCHANGES=${ENGINE_EXCHANGES:-100000}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
STATIC_THREADS=${STATIC_THREADS:-1}
STATIC_CONNECTIONS=${STATIC_CONNECTIONS:-32}
STATIC_BODY=${STATIC_BODY:-1024}   # bytes; nginx's `return` takes up to 4 KiB, so other sizes are served from a file
ONLY=${ONLY:-.}
JAR=${JAR:-launcher/target/shadowcar.jar}
BASELINE_JAR=${BASELINE_JAR:-}
BASELINE_OPTS=${BASELINE_OPTS:-}   # extra JVM options of the @baseline sidecars: A/B of a flag with BASELINE_JAR=$JAR
# (grep finds nothing when every knob has its default: not an error)
COMMAND_LINE="$(env | { grep -E '^(DURATION|WARMUP|WARMUP_MAX|ROUND_WARMUP|BASELINE_OPTS|ROUNDS|PROCESSES|FLOOD|SOAK|STARTS|ENGINE|THREADS|CONNECTIONS|STATIC_THREADS|STATIC_CONNECTIONS|STATIC_BODY|ONLY|SHADOWCAR_JAVA_OPTS)=' || true; } | sed -E "s/=(.*)/='\1'/" | tr '\n' ' ')scripts/bench.sh"
WORK=$(mktemp -d /tmp/shadowcar-bench.XXXXXX)
: >"$WORK/results" # empty when ONLY picks no pair
T_START=$(date +%s)
TREE=$(git describe --always --dirty 2>/dev/null || echo '?')

. scripts/bench/lib.sh # need, require_tools, free_port, wait_file, wait_port, start_sample, cpu_ticks, us_per_request
require_tools "wrk nginx" "wrk nginx"
[ -f "$JAR" ] || ./mvnw -q -B -DskipTests package
mapfile -t DEFAULT_JVM_OPTS < <(grep -vE '^\s*(#|$)' scripts/jvm.options)
# The class-data archive the package step writes next to the jar (see docs/operations.md, Start-up), when present.
[ -f "${JAR%.jar}.jsa" ] && DEFAULT_JVM_OPTS+=(-XX:SharedArchiveFile="${JAR%.jar}.jsa")
if [ -n "${SHADOWCAR_JAVA_OPTS:-}" ]; then read -r -a SIDECAR_OPTS <<<"$SHADOWCAR_JAVA_OPTS"
else SIDECAR_OPTS=("${DEFAULT_JVM_OPTS[@]}"); fi

now_ms() { date +%s%3N; }
# TCP segments sent on this machine so far (loopback included): a window's count per request says how many writes the
# request and its answer took end to end (2 straight to a backend, 4 through a proxy that adds none of its own)
tcp_segments_out() {
  awk '/^Tcp:/ { n++; if (n == 1) for (i = 1; i <= NF; i++) h[i] = $i; else for (i = 1; i <= NF; i++) if (h[i] == "OutSegs") print $i }' \
    /proc/net/snmp
}
# The CPU ticks of each thread of a JVM, as "name ticks" lines, the names as the kernel keeps them (15 characters) with
# a trailing number dropped: Vert.x's event loops add up as one "vert.x-eventloop-thread-" line, and so on.
thread_ticks() { # pid
  local t
  for t in /proc/"$1"/task/*/stat; do cat "$t" 2>/dev/null || true; done \
    | sed -E 's/^[0-9]+ \((.*)\) [A-Za-z] (.*)$/\1|\2/' \
    | awk -F'|' '{ n = $1; sub(/[-0-9]*[0-9]$/, "", n); gsub(/ /, "_", n); split($2, f, " "); t[n] += f[11] + f[12] }
        END { for (n in t) print n, t[n] }'
}
# The threads that spent most CPU between two thread_ticks snapshots: "name:us,..." in microseconds per request.
thread_cpu_per_request() { # before after requests
  awk 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]; if (d > 0) print d, $1 }' \
      <(echo "$1") <(echo "$2") | sort -rn | head -6 \
    | awk -v n="$3" -v hz="$CLK_TCK" '{ printf "%s%s:%.2f", (NR > 1 ? "," : ""), $2, (n > 0 ? $1 * 1e6 / hz / n : 0) }'
}
log() { echo "[$(( $(date +%s) - T_START ))s] $*" >&2; }
shadow_ticks() { # the CPU ticks of the shadow servers (fast, 1 s, black hole) together
  local p t=0
  for p in "${SHADOW_PIDS[@]}"; do t=$(( t + $(cpu_ticks "$p") )); done
  echo "$t"
}

# --- backends and shadows ---
PRIMARY=$(free_port); FAST=$(free_port); SLOW=$(free_port); HOLE=$(free_port)
start_sample primary "$PRIMARY" 0; PRIMARY_PID=$LAST_PID
start_sample shadow-fast "$FAST" 0; SHADOW_PIDS=("$LAST_PID")
# SLOW_SHADOW_NICE=19: the 1 s shadow server behind the proxy's loops on the shared cores (what its CPU costs them)
start_sample shadow-slow "$SLOW" 1000 "${SLOW_SHADOW_NICE:-0}"; SHADOW_PIDS+=("$LAST_PID")
java scripts/bench/BlackHole.java "$HOLE" >"$WORK/blackhole.log" 2>&1 &
PIDS+=($!); SHADOW_PIDS+=($!); wait_port "$HOLE"
# DEAD: a port bound for the whole run, nobody listening (connection refused), so no server started later can get it.
java scripts/bench/RefusingPort.java "$WORK/dead.port" >"$WORK/dead.log" 2>&1 &
PIDS+=($!); wait_file "$WORK/dead.port"; DEAD=$(cat "$WORK/dead.port")

# nginx runs as our child (daemon off), each instance with its own config and prefix under $WORK.
start_nginx() { # name (config in $WORK/NAME.conf)
  mkdir -p "$WORK/$1"
  nginx -c "$WORK/$1.conf" -p "$WORK/$1" -g 'daemon off;' >"$WORK/$1.log" 2>&1 &
  LAST_PID=$!; PIDS+=($!)
}
nginx_common() { # name
  cat <<NGX
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/error.log warn;
events { worker_connections 4096; }
NGX
}
temp_paths() { # name
  local d="$WORK/$1"
  echo "client_body_temp_path $d; proxy_temp_path $d; fastcgi_temp_path $d; uwsgi_temp_path $d; scgi_temp_path $d;"
}
STATIC=$(free_port); STATIC_SHADOW=$(free_port); STATIC_KA=$(free_port); CHUNKED=$(free_port)
STATIC_TEXT=$(head -c "$STATIC_BODY" /dev/zero | tr '\0' 'x')
if [ "$STATIC_BODY" = 1024 ]; then
  STATIC_ANSWER="return 200 \"$STATIC_TEXT\";"
else
  mkdir -p "$WORK/static-root"; printf '%s' "$STATIC_TEXT" >"$WORK/static-root/body"
  chmod a+rx "$WORK" "$WORK/static-root"; chmod a+r "$WORK/static-root/body" # nginx's workers run as nobody
  STATIC_ANSWER="root $WORK/static-root; try_files /body =404;"
fi
{ nginx_common static; cat <<NGX
worker_processes 1;
http {
  access_log off; $(temp_paths static)
  server { listen 127.0.0.1:$STATIC; location / { default_type text/plain; $STATIC_ANSWER } }
  server { listen 127.0.0.1:$STATIC_SHADOW; location / { default_type text/plain; $STATIC_ANSWER } }
  # The same answer chunked: sub_filter (which never matches) drops the length, so nginx streams it in one write
  server { listen 127.0.0.1:$CHUNKED; location / { default_type text/plain; sub_filter_types text/plain;
    sub_filter 'never in the body' ''; $STATIC_ANSWER } }
  # The same answer on connections nginx never closes (its default closes each one after 1,000 requests): the
  # reconnects pair's B side
  server { listen 127.0.0.1:$STATIC_KA; keepalive_requests 1000000;
    location / { default_type text/plain; $STATIC_ANSWER } }
}
NGX
} >"$WORK/static.conf"
start_nginx static; STATIC_PID=$LAST_PID

NGX_PLAIN=$(free_port); NGX_FAST=$(free_port); NGX_SLOW=$(free_port)
NGX_PLAIN_STATIC=$(free_port); NGX_FAST_STATIC=$(free_port); NGX_HEADERS_STATIC=$(free_port)
NGX_PLAIN_CHUNKED=$(free_port)
{ nginx_common proxy; cat <<NGX
worker_processes 2;
http {
  access_log off; $(temp_paths proxy)
  upstream primary { server 127.0.0.1:$PRIMARY; keepalive 128; }
  upstream fast { server 127.0.0.1:$FAST; keepalive 128; }
  upstream slow { server 127.0.0.1:$SLOW; keepalive 128; }
  upstream static { server 127.0.0.1:$STATIC; keepalive 128; }
  upstream static_shadow { server 127.0.0.1:$STATIC_SHADOW; keepalive 128; }
  upstream chunked { server 127.0.0.1:$CHUNKED; keepalive 128; }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  server { listen 127.0.0.1:$NGX_PLAIN; location / { proxy_pass http://primary; } }
  server { listen 127.0.0.1:$NGX_FAST;
    location / { mirror /_mirror; proxy_pass http://primary; }
    location = /_mirror { internal; proxy_pass http://fast\$request_uri; } }
  server { listen 127.0.0.1:$NGX_SLOW;
    location / { mirror /_mirror; proxy_pass http://primary; }
    location = /_mirror { internal; proxy_pass http://slow\$request_uri; } }
  server { listen 127.0.0.1:$NGX_PLAIN_STATIC; location / { proxy_pass http://static; } }
  server { listen 127.0.0.1:$NGX_PLAIN_CHUNKED; location / { proxy_pass http://chunked; } }
  # The headers the sidecar adds to each request and answer (a location's proxy_set_header replaces the http block's)
  server { listen 127.0.0.1:$NGX_HEADERS_STATIC; location / {
    proxy_set_header Connection ""; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme; proxy_set_header X-Forwarded-Host \$host;
    proxy_set_header X-Request-Id \$request_id; add_header X-Request-Id \$request_id always;
    proxy_pass http://static; } }
  server { listen 127.0.0.1:$NGX_FAST_STATIC;
    location / { mirror /_mirror; proxy_pass http://static; }
    location = /_mirror { internal; proxy_pass http://static_shadow\$request_uri; } }
}
NGX
} >"$WORK/proxy.conf"
start_nginx proxy; PROXY_PID=$LAST_PID
for p in "$STATIC" "$STATIC_SHADOW" "$STATIC_KA" "$CHUNKED" "$NGX_PLAIN" "$NGX_FAST" "$NGX_SLOW" "$NGX_PLAIN_STATIC" \
  "$NGX_FAST_STATIC" "$NGX_HEADERS_STATIC" "$NGX_PLAIN_CHUNKED"; do
  wait_port "$p"
done

# --- shadowcar: one instance per case, started fresh for each pair ---
declare -A CASE_PID CASE_URL CASE_CPU
start_sidecar() { # case primary_url tee_enabled shadow_url|none [extra -D options]
  local name=$1 port admin jar=$JAR extra=(); port=$(free_port); admin=$(free_port)
  if [[ $name == netty-bare* ]]; then start_bare "$name" "$port" "${2##*:}"; return; fi
  if [[ $name == *@baseline ]]; then jar=$BASELINE_JAR; read -ra extra <<<"$BASELINE_OPTS"; fi
  java "${SIDECAR_OPTS[@]}" "${extra[@]}" -Xlog:gc,gc+heap:file="$WORK/gc-$name.log":timemillis \
    -Dshadowcar.proxy.host=127.0.0.1 -Dshadowcar.proxy.port="$port" -Dshadowcar.admin.port="$admin" -Dshadowcar.health.port=-1 \
    -Dshadowcar.primary.targets="$2" -Dshadowcar.shadow.enabled="$3" -Dshadowcar.shadow.targets="${4#none}" \
    -Dshadowcar.data.dir="$WORK/data-$name" "${@:5}" \
    -jar "$jar" >"$WORK/sidecar-$name.log" 2>&1 &
  local pid=$!; PIDS+=($pid); wait_port "$port"
  CASE_PID[$name]=$pid; CASE_CPU[$name]=$pid; CASE_URL[$name]="http://127.0.0.1:$port"; CASE_ADMIN[$name]="http://127.0.0.1:$admin"
}
declare -A CASE_ADMIN
# The reference Java proxy (scripts/bench/BareNettyProxy.java): Netty's codecs and nothing else, with the sidecar's
# heap and GC flags (not its class-data archive, which belongs to the sidecar's own class path).
start_bare() { # case port backend_port
  java "${DEFAULT_JVM_OPTS[@]/-XX:SharedArchiveFile=*/-Xshare:auto}" -Xlog:gc,gc+heap:file="$WORK/gc-$1.log":timemillis \
    -cp "$JAR" scripts/bench/BareNettyProxy.java "$2" "$3" >"$WORK/$1.log" 2>&1 &
  local pid=$!; PIDS+=($pid); wait_port "$2"
  CASE_PID[$1]=$pid; CASE_CPU[$1]=$pid; CASE_URL[$1]="http://127.0.0.1:$2"; CASE_ADMIN[$1]=""
}
stop_sidecar() { # case
  local pid=${CASE_PID[$1]:-}
  [ -n "$pid" ] || return 0
  if [ -n "${CASE_ADMIN[$1]}" ]; then # the bare proxy has no admin port
    local counters
    counters=$(curl -s "${CASE_ADMIN[$1]}/metrics" \
      | grep -E '^shadowcar_(tee_(copies|dropped)|diff_(exchanges|dropped))_total' || true)
    [ -z "$counters" ] || sed "s/^/    [$1] /" <<<"$counters" >&2
    # copies over the sidecar's whole run (warm-up included): a throughput figure means little without them
    awk -v c="$1" '/^shadowcar_tee_copies_total/ { if (/result="sent"/) s += $2; else f += $2 }
      /^shadowcar_tee_dropped_total/ { d += $2 }
      END { if (s + f + d > 0) printf "copies case=%s sent=%.0f failed=%.0f dropped=%.0f\n", c, s, f, d }' \
      <<<"$counters" >>"$WORK/results"
  fi
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  unset "CASE_PID[$1]"
}

URL_PATH=/users/42?view=full
load_args() { # sample|static|chunked (the static backend's answer, chunked: the same load)
  if [ "$1" = static ] || [ "$1" = chunked ]; then echo "-t$STATIC_THREADS -c$STATIC_CONNECTIONS"; else echo "-t$THREADS -c$CONNECTIONS"; fi
}
gc_window() { # gc_log from_ms to_ms -> "max_ms count full first_mib last_mib mean_ms survivors_kib promoted_kib" for
  # the pauses in the window: the longest, how many, how many were full collections, the heap left after the first and
  # the last young one (what young collections promote grows there until a full one), their mean length, and per young
  # collection the mean KiB left in the survivor space and promoted (with the parallel collector's gc+heap lines:
  # what a young collection copies, which sets most of its length; "-" for another collector)
  [ -f "$1" ] || { echo "0 0 0 0 0 0 - -"; return; }
  awk -v a="$2" -v b="$3" 'function kib_after(s,   x) { x = s; sub(/.*->/, "", x); return x + 0 }
    { t = substr($1, 2) + 0; if (t < a || t > b) next
      id = ""; if (match($0, /GC\([0-9]+\)/)) id = substr($0, RSTART, RLENGTH) }
    # the heap lines of a collection come before its pause line, which says whether it was young or full
    /PSYoungGen:.*From:/ { if (match($0, /From: [0-9]+K\([0-9]+K\)->[0-9]+K/)) {
        surv[id] = kib_after(substr($0, RSTART, RLENGTH)) } }
    /ParOldGen: / { if (match($0, /ParOldGen: [0-9]+K/)) { o0 = substr($0, RSTART + 11, RLENGTH - 12) + 0
        if (match($0, /->[0-9]+K/)) prom[id] = substr($0, RSTART + 2, RLENGTH - 3) - o0 } }
    /Pause/ { d = $NF; sub(/ms$/, "", d); d += 0; n++; sum += d; if (d > m) m = d
      if (/Pause Full/) full++
      else {
        if (match($0, /->[0-9]+M/)) { h = substr($0, RSTART + 2, RLENGTH - 3) + 0; if (f == "") f = h; l = h }
        if (id in surv) { sn++; ss += surv[id] }
        if (id in prom) { pn++; ps += prom[id] } } }
    END { printf "%.1f %d %d %d %d %.3f %s %s\n", m, n, full, f, l, (n > 0 ? sum / n : 0),
      (sn > 0 ? sprintf("%.0f", ss / sn) : "-"), (pn > 0 ? sprintf("%.1f", ps / pn) : "-") }' "$1"
}
# Bytes the sidecar's JVM allocated on its heap so far (Micrometer's jvm_gc_memory_allocated_bytes_total, which moves at
# each young collection: over a window of dozens of collections it is exact to a few per cent, and unlike req/s and
# CPU time it does not depend on how busy the machine is). Empty for a process without the sidecar's admin port.
heap_allocated() { # admin_url
  [ -n "$1" ] || return 0
  curl -s "$1/metrics" | awk '/^jvm_gc_memory_allocated_bytes_total/ { printf "%.0f", $2 }'
}
measure() { # pair side case url load warmup -> one line in $WORK/results
  local pair=$1 side=$2 name=$3 url=$4$URL_PATH load; load=$(load_args "$5")
  # shellcheck disable=SC2086
  wrk $load -d"$6" -s scripts/bench/latency.lua "$url" >/dev/null
  local pid=${CASE_PID[$name]:-} admin=${CASE_ADMIN[$name]:-}
  local extra="rss_peak_kb=- rss_kb=- gc_max_ms=- gc_count=- alloc_b=-"
  [ -n "$pid" ] && echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || true   # resets VmHWM: the peak of this window
  local t0 t1 line c0 c1 a0 a1 s0 s1 cpu_pid=${CASE_CPU[$name]:-}
  local k0="" k1=""; [ -n "$pid" ] && k0=$(thread_ticks "$pid")
  local w0 w1; w0=$(shadow_ticks)
  t0=$(now_ms); c0=$(cpu_ticks "$cpu_pid"); a0=$(heap_allocated "$admin"); s0=$(tcp_segments_out)
  # shellcheck disable=SC2086
  line=$(wrk $load -d"$DURATION" -s scripts/bench/latency.lua "$url" | grep '^RESULT')
  t1=$(now_ms); c1=$(cpu_ticks "$cpu_pid"); a1=$(heap_allocated "$admin"); s1=$(tcp_segments_out)
  w1=$(shadow_ticks)
  [ -n "$pid" ] && k1=$(thread_ticks "$pid")
  # CPU time the server (proxy, or backend for direct) spent per request: far less sensitive to a busy machine
  # than req/s, since time spent waiting for a core is not counted
  local requests; requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  line="$line cpu_us=$(us_per_request $((c1 - c0)) "$requests" 1)"
  # the shadow servers' CPU: on this machine they share the cores with the proxy measured, unlike in production
  line="$line shadow_cpu_us=$(us_per_request $((w1 - w0)) "$requests" 2)"
  line="$line segs=$(awk -v d=$((s1 - s0)) -v n="$requests" 'BEGIN { printf "%.2f", (n > 0 ? d / n : 0) }')"
  if [ -n "$pid" ]; then
    local hwm rss gc_max gc_count; hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status"); rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    local gc_mean gc_surv gc_prom
    read -r gc_max gc_count _ _ _ gc_mean gc_surv gc_prom < <(gc_window "$WORK/gc-$name.log" "$t0" "$t1")
    local alloc=-; [ -n "$a0" ] && [ -n "$a1" ] && [ "$requests" -gt 0 ] && alloc=$(( (a1 - a0) / requests ))
    # where the sidecar's CPU went, by thread (its event loops, the shadows', the diff's, GC, JIT): the top six
    extra="rss_peak_kb=$hwm rss_kb=$rss gc_max_ms=$gc_max gc_count=$gc_count gc_mean_ms=$gc_mean alloc_b=$alloc"
    extra="$extra gc_survivors_kib=$gc_surv gc_promoted_kib=$gc_prom"
    extra="$extra threads_us=$(thread_cpu_per_request "$k0" "$k1" "$requests")"
  fi
  echo "pair=$pair side=$side case=$name ${line#RESULT } $extra" | tee -a "$WORK/results" >&2
}

# warm_up CASE BACKEND: $WARMUP of load, then 5 s windows until req/s stops rising or $WARMUP_MAX seconds. A fixed
# warm-up is not enough: on some machines of this kind a fresh sidecar needs a minute of load before the JIT is done
# (tee off was seen at 2.7k, 9.7k, 17.5k, 22k and 26k req/s in successive 5 s windows), and a case measured earlier
# reads slower than it is. A case whose copy path runs only a few dozen times a second (the 1 s shadow) compiles
# it last of all. A black-hole sidecar sends copies for its first 5 s (the shadow timeout) before they time out and its
# breaker opens; the regime it is measured in (every copy refused at the head) begins then, so it gets 20 s more of
# fixed load: without them its first rounds read as low as 0.79-0.90x tee off, later ones 0.97-1.00x.
declare -A WARMUP_EXTRA=([tee-blackhole]=20s)
warm_up() {
  local c=$1 backend=$2 best=0 flat=0 rps=0 t0
  t0=$(date +%s)
  wrk $(load_args "$backend") -d"$WARMUP" "${CASE_URL[$c]}$URL_PATH" >/dev/null
  if [ -n "${WARMUP_EXTRA[${c%@baseline}]:-}" ]; then
    wrk $(load_args "$backend") -d"${WARMUP_EXTRA[${c%@baseline}]}" "${CASE_URL[$c]}$URL_PATH" >/dev/null
  fi
  # done after two windows in a row that do not beat the best so far by 5 %: one noisy dip does not end it
  while [ $(( $(date +%s) - t0 )) -lt "$WARMUP_MAX" ] && [ "$flat" -lt 2 ]; do
    rps=$(wrk $(load_args "$backend") -d5s "${CASE_URL[$c]}$URL_PATH" | awk '/^Requests\/sec/ { printf "%d", $2 }')
    rps=${rps:-0}
    if [ "$rps" -gt $(( best * 105 / 100 )) ]; then best=$rps; flat=0; else flat=$((flat + 1)); fi
  done
  log "warm-up of $c: $(( $(date +%s) - t0 )) s, best window $best req/s, last $rps"
}

# pair NAME BACKEND MIN_TPUT MAX_P99 CASE_A CASE_B: A,B then B,A, $ROUNDS rounds; a goal of '-' is not judged.
# Cases named sc:* are sidecars (started before, stopped after); others are fixed URLs in CASE_URL.
declare -A SIDECAR_SPEC
pair() {
  local name=$1 backend=$2 goal_t=$3 goal_p=$4 a=$5 b=$6
  [[ $name =~ $ONLY ]] || return 0
  echo "goal pair=$name a=$a b=$b min_tput=$goal_t max_p99=$goal_p" >>"$WORK/results"
  log "pair $name: $a vs $b"
  start_pair "$backend" "$a" "$b"
  # PROCESSES=N splits the rounds in N blocks, each measured on freshly started sidecars (B started first in every
  # other block): one process whose JIT happened to do better or worse than its twin does not decide every round.
  local r side block=$(( (ROUNDS + PROCESSES - 1) / PROCESSES ))
  for r in $(seq 1 "$ROUNDS"); do
    if (( r > 1 && (r - 1) % block == 0 )); then
      stop_pair "$a" "$b"
      if (( (r - 1) / block % 2 )); then start_pair "$backend" "$b" "$a"; else start_pair "$backend" "$a" "$b"; fi
    fi
    # A,B then B,A: neither side is always measured first (in round 1, right after the other sidecar's warm-up, whose
    # JIT compilers may still be running), so an order effect or a drift of the machine cancels out over the rounds.
    for side in $( ((r % 2)) && echo "A B" || echo "B A"); do
      if [ "$side" = A ]; then measure "$name" A "$a" "${CASE_URL[$a]}" "$backend" "$ROUND_WARMUP"
      else measure "$name" B "$b" "${CASE_URL[$b]}" "$backend" "$ROUND_WARMUP"; fi
    done
  done
  stop_pair "$a" "$b"
  return 0
}
start_pair() { # backend case case: starts and warms up each side that is a sidecar, in the order given
  local backend=$1 c
  for c in "${@:2}"; do
    if [ -n "${SIDECAR_SPEC[$c]:-}" ]; then
      # shellcheck disable=SC2086
      start_sidecar "$c" ${SIDECAR_SPEC[$c]}
      warm_up "$c" "$backend"
    fi
  done
}
stop_pair() { # case case
  local c
  for c in "$@"; do [ -n "${SIDECAR_SPEC[$c]:-}" ] && stop_sidecar "$c"; done
  return 0
}
single() { # name backend case: one measurement, for reference
  [[ $1 =~ $ONLY ]] || return 0
  measure "$1" A "$3" "${CASE_URL[$3]}" "$2" "$WARMUP"
}

CASE_URL[direct-sample]="http://127.0.0.1:$PRIMARY"; CASE_URL[direct-static]="http://127.0.0.1:$STATIC"
CASE_CPU[direct-sample]=$PRIMARY_PID; CASE_CPU[direct-static]=$STATIC_PID
for c in nginx-plain nginx-mirror nginx-mirror-slow nginx-plain-static nginx-mirror-static nginx-headers-static \
  nginx-plain-chunked; do
  CASE_CPU[$c]=$PROXY_PID
done
CASE_URL[nginx-plain]="http://127.0.0.1:$NGX_PLAIN"; CASE_URL[nginx-mirror]="http://127.0.0.1:$NGX_FAST"
CASE_URL[nginx-mirror-slow]="http://127.0.0.1:$NGX_SLOW"
CASE_URL[nginx-plain-static]="http://127.0.0.1:$NGX_PLAIN_STATIC"; CASE_URL[nginx-mirror-static]="http://127.0.0.1:$NGX_FAST_STATIC"
CASE_URL[nginx-headers-static]="http://127.0.0.1:$NGX_HEADERS_STATIC"
CASE_URL[nginx-plain-chunked]="http://127.0.0.1:$NGX_PLAIN_CHUNKED"
P="http://127.0.0.1:$PRIMARY"; S="http://127.0.0.1:$STATIC"
DIFF_OFF=-Dshadowcar.diff.enabled=false
SIDECAR_SPEC[tee-off]="$P false http://127.0.0.1:$FAST"
SIDECAR_SPEC[tee-fast]="$P true http://127.0.0.1:$FAST"            # the defaults: diff on, 100 %
SIDECAR_SPEC[tee-fast-diff-off]="$P true http://127.0.0.1:$FAST $DIFF_OFF"
SIDECAR_SPEC[tee-slow]="$P true http://127.0.0.1:$SLOW"
SIDECAR_SPEC[tee-dead]="$P true http://127.0.0.1:$DEAD"
SIDECAR_SPEC[tee-blackhole]="$P true http://127.0.0.1:$HOLE"
SIDECAR_SPEC[tee-off-static]="$S false http://127.0.0.1:$STATIC_SHADOW"
SIDECAR_SPEC[tee-off-chunked]="http://127.0.0.1:$CHUNKED false http://127.0.0.1:$STATIC_SHADOW"
SIDECAR_SPEC[tee-fast-static]="$S true http://127.0.0.1:$STATIC_SHADOW"
SIDECAR_SPEC[tee-slow-static]="$S true http://127.0.0.1:$SLOW"
SIDECAR_SPEC[tee-off-static-ka]="http://127.0.0.1:$STATIC_KA false http://127.0.0.1:$STATIC_SHADOW"
SIDECAR_SPEC[netty-bare]="$P"; SIDECAR_SPEC[netty-bare-static]="$S"
# The Kafka sink alone (no HTTP shadow), publishing every exchange to a broker on this machine: the tests' in-JVM KRaft
# node, started only when a pair needs it. Like the sample shadows, its CPU is not counted as the sidecar's.
if [[ kafka =~ $ONLY ]] || [[ " ${BASELINE_CASES:-} " == *" tee-kafka "* && -n $BASELINE_JAR ]]; then
  # -am: testkit's module dependencies come from this checkout; the last module's classpath is testkit's
  ./mvnw -q -B -pl testkit -am compile dependency:build-classpath -Dmdep.outputFile="$WORK/kafka.cp" >&2
  java -Xmx512m -cp "testkit/target/classes:$(cat "$WORK/kafka.cp")" scripts/bench/KafkaBrokerMain.java shadowcar-bench \
    >"$WORK/kafka.out" 2>"$WORK/kafka.log" &
  PIDS+=($!)
  for _ in $(seq 1 240); do grep -q '^bootstrap=' "$WORK/kafka.out" && break; sleep 0.5; done
  KAFKA=$(sed -n 's/^bootstrap=//p' "$WORK/kafka.out" | head -1)
  [ -n "$KAFKA" ] || { log "the Kafka broker did not start within 120 s: see $WORK/kafka.log"; exit 1; }
  log "Kafka broker at $KAFKA"
  SIDECAR_SPEC[tee-kafka]="$P true none -Dshadowcar.shadow.kafka.bootstrap=$KAFKA -Dshadowcar.shadow.kafka.topic=shadowcar-bench"
fi
SIDECAR_SPEC[tee-off-twin]=${SIDECAR_SPEC[tee-off]}   # the noise pairs' second tee off: the same spec
SIDECAR_SPEC[tee-off-static-twin]=${SIDECAR_SPEC[tee-off-static]}
for c in "${!SIDECAR_SPEC[@]}"; do SIDECAR_SPEC[$c@baseline]=${SIDECAR_SPEC[$c]}; done

log "work dir $WORK; $(nproc) cores; wrk -d$DURATION after ${ROUND_WARMUP} (+${WARMUP} per new process), $ROUNDS rounds on $PROCESSES process(es) per side"
single direct-sample sample direct-sample
single direct-static static direct-static
pair plain sample 0.95 - tee-off nginx-plain
pair plain-static static 0.95 - tee-off-static nginx-plain-static
# A primary that streams its answer chunked, as many services do: the sidecar writes what one read of it brought in
# one write, as nginx does
pair plain-chunked chunked - - tee-off-chunked nginx-plain-chunked
# Where the plain path's gap to nginx lies: shadowcar against the least a Java proxy on Netty does, and that against
# nginx
pair plain-vs-bare sample - - tee-off netty-bare
pair bare-vs-nginx sample - - netty-bare nginx-plain
pair plain-vs-bare-static static - - tee-off-static netty-bare-static
pair bare-vs-nginx-static static - - netty-bare-static nginx-plain-static
# nginx doing the sidecar's header work too (X-Forwarded-For/-Proto/-Host and a request id each way): how much of the
# static pair's gap is that work, and what it costs nginx
pair plain-static-same-headers static - - tee-off-static nginx-headers-static
pair nginx-headers-cost-static static - - nginx-headers-static nginx-plain-static
pair mirror sample 2.5 1.0 tee-fast nginx-mirror
pair mirror-static static 2.5 1.0 tee-fast-static nginx-mirror-static
pair slow sample 0.95 1.1 tee-slow tee-off
pair slow-static static 0.95 1.1 tee-slow-static tee-off-static
pair dead sample 0.95 1.1 tee-dead tee-off
pair blackhole sample 0.95 1.1 tee-blackhole tee-off
# The same build and flags against themselves, in two processes: how far apart two equal sidecars read in this run,
# the spread a goal's margin has to clear before a PASS or a MISS says something about the code
pair noise sample - - tee-off-twin tee-off
pair noise-static static - - tee-off-static-twin tee-off-static
# The static backend closes each keep-alive connection after 1,000 requests, as nginx does by default (a real primary
# may close as often): tee off there against tee off on a server block that never closes, what reopening costs
pair reconnects static - - tee-off-static tee-off-static-ka
pair diff sample - - tee-fast tee-fast-diff-off
pair mirror-slow sample - - tee-slow nginx-mirror-slow
pair kafka sample - - tee-kafka tee-off
if [ -n "$BASELINE_JAR" ]; then
  for c in ${BASELINE_CASES:-tee-off tee-fast tee-fast-diff-off tee-dead tee-blackhole tee-slow}; do
    pair "vs-baseline-$c" sample - - "$c" "$c@baseline"
  done
fi

# --- long runs with the default JVM flags (scripts/jvm.options): peak RSS over the whole life of the process, and the
# GC figures of gc_window over the run ---
long_run() { # case duration shadow_url what -> sets LONG_LINE, one summary line
  local name=$1 duration=$2 pid t0 t1 line hwm rss gc saved=("${SIDECAR_OPTS[@]}")
  log "$name: $duration, $4, flags: ${DEFAULT_JVM_OPTS[*]}"
  SIDECAR_OPTS=("${DEFAULT_JVM_OPTS[@]}")
  start_sidecar "$name" "$P" true "$3"
  SIDECAR_OPTS=("${saved[@]}")
  pid=${CASE_PID[$name]}; t0=$(now_ms)
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" -s scripts/bench/latency.lua "${CASE_URL[$name]}$URL_PATH" \
    | grep '^RESULT')
  t1=$(now_ms)
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status"); rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  gc=$(gc_window "$WORK/gc-$name.log" "$t0" "$t1")
  stop_sidecar "$name"
  LONG_LINE=$(awk -v h="$hwm" -v r="$rss" -v g="$gc" -v l="$line" -v d="$duration" -v n="$name" -v w="$4" \
    'BEGIN { split(g, x, " ")
    split(l, fs, " "); for (i in fs) { split(fs[i], kv, "="); v[kv[1]] = kv[2] }
    printf "%s %s, %s: peak RSS %.0f MiB (goal <= 256: %s), RSS at end %.0f MiB, GC max pause %.1f ms over %d pauses, %d full (goal <= 20 ms: %s), heap after young collections %d -> %d MiB, %.0f req/s\n",
      n, d, w, h / 1024, h / 1024 <= 256 ? "PASS" : "MISS", r / 1024, x[1], x[2], x[3], x[1] <= 20 ? "PASS" : "MISS",
      x[4], x[5], v["rps"] }')
}
FLOOD_LINE="flood: skipped"
if [[ flood =~ $ONLY ]]; then
  long_run flood "$FLOOD" "http://127.0.0.1:$HOLE" "the black-hole shadow"; FLOOD_LINE=$LONG_LINE
  log "$FLOOD_LINE"
fi
# A 1 s shadow's copies outlive several young collections; a run this long shows whether they are promoted and end
# in full collections (the paired windows above are too short to).
SOAK_LINE="soak: skipped"
if [[ soak =~ $ONLY ]]; then
  long_run soak "$SOAK" "http://127.0.0.1:$SLOW" "the 1 s shadow"; SOAK_LINE=$LONG_LINE
  log "$SOAK_LINE"
fi

# --- start to ready: exec of java -jar to the traffic port accepting and /ready answering 200 (no checks) ---
# The probe forks nothing while the sidecar starts: bash's own /dev/tcp connects, $EPOCHREALTIME for the clock and a
# timed read of a FIFO for the 10 ms pause. A probe that ran curl, date and sleep 100 times a second took enough of
# the two cores to add about 300 ms to the figure it measured (docs/benchmarks.md, "Start to ready").
# Sets PROBE_PORT and PROBE_READY to the time (µs) the traffic port accepted and /ready answered 200; empty when not
# within 30 s.
probe_start() {
  local port=$1 admin=$2 tick conn status i
  mkfifo "$WORK/tick"; exec {tick}<>"$WORK/tick"; rm -f "$WORK/tick"
  PROBE_PORT=""; PROBE_READY=""
  for ((i = 0; i < 3000; i++)); do
    if [ -z "$PROBE_PORT" ] && { exec {conn}<>/dev/tcp/127.0.0.1/"$port"; } 2>/dev/null; then
      PROBE_PORT=${EPOCHREALTIME//[!0-9]/}; exec {conn}>&-
    fi
    if [ -z "$PROBE_READY" ] && { exec {conn}<>/dev/tcp/127.0.0.1/"$admin"; } 2>/dev/null; then
      printf 'GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$conn"
      status=""; read -r -t 2 -u "$conn" status || true; exec {conn}>&-
      [[ $status == HTTP/1.?" 200"* ]] && PROBE_READY=${EPOCHREALTIME//[!0-9]/}
    fi
    [ -n "$PROBE_PORT" ] && [ -n "$PROBE_READY" ] && break
    read -r -t 0.01 -u "$tick" || true
  done
  exec {tick}>&-
}
START_LINE="start to ready: skipped"
if [[ start =~ $ONLY ]]; then
  : >"$WORK/starts"
  for i in $(seq 1 "$STARTS"); do
    port=$(free_port); admin=$(free_port)
    t0=${EPOCHREALTIME//[!0-9]/}
    java "${DEFAULT_JVM_OPTS[@]}" -Dshadowcar.proxy.host=127.0.0.1 -Dshadowcar.proxy.port="$port" \
      -Dshadowcar.admin.port="$admin" -Dshadowcar.health.port=-1 -Dshadowcar.primary.targets="$P" -Dshadowcar.shadow.targets="http://127.0.0.1:$FAST" \
      -Dshadowcar.data.dir="$WORK/data-start-$i" -jar "$JAR" >"$WORK/start-$i.log" 2>&1 &
    pid=$!; PIDS+=($pid)
    probe_start "$port" "$admin"
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    [ -n "$PROBE_PORT" ] && [ -n "$PROBE_READY" ] || { log "start $i: not ready within 30 s"; continue; }
    ready=$(( PROBE_READY > PROBE_PORT ? PROBE_READY : PROBE_PORT ))
    echo "$(( (PROBE_PORT - t0) / 1000 )) $(( (ready - t0) / 1000 ))" | tee -a "$WORK/starts" >&2
  done
  START_LINE=$(sort -n -k2 "$WORK/starts" | awk '{ p[NR] = $1; r[NR] = $2 } END {
    if (NR == 0) { print "start to ready: no run finished"; exit }
    m = int((NR + 1) / 2); n = split("", s); for (i = 1; i <= NR; i++) s[i] = p[i]
    for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
    printf "start to ready (median of %d): traffic port %d ms, ready (port + /ready 200) %d ms (goal < 1000: %s)\n",
      NR, s[m], r[m], r[m] < 1000 ? "PASS" : "MISS" }')
  log "$START_LINE"
fi

# --- the diff engine alone, one thread pinned to one core ---
ENGINE_LINE="diff engine: skipped"
if [ "$ENGINE" != 0 ] && [[ engine =~ $ONLY ]]; then
  # -am: the engine's module dependencies come from this checkout (their target/classes), not a local repository
  ./mvnw -q -B -pl diff-engine -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/engine.cp" >&2
  pin=(); need taskset && pin=(taskset -c 0)
  "${pin[@]}" java -XX:ActiveProcessorCount=1 \
    -cp "diff-engine/target/classes:diff-engine/target/test-classes:$(cat "$WORK/engine.cp")" \
    io.shadowcar.diff.EngineThroughput "$ENGINE_EXCHANGES" | tee "$WORK/engine.txt" | sed 's/^/    [engine] /' >&2
  # the best round of each mode: the first is cold, and on a shared machine the best is the least disturbed
  ENGINE_LINE=$(awk '/secondary:/ && $4 > s { s = $4 } /primary\+candidate:/ && $4 > p { p = $4 }
    END { printf "diff engine, one core: %d exchanges/s primary+candidate, %d with a secondary (~2 KiB JSON)\n", p, s }' \
    "$WORK/engine.txt")
fi

# --- summary ---
ELAPSED=$(( $(date +%s) - T_START ))
{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ); total time: $((ELAPSED / 60)) min $((ELAPSED % 60)) s"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "versions: $(java -version 2>&1 | head -1); $(nginx -v 2>&1 | sed 's/.*: //'); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); shadowcar $JAR from $TREE"
  echo "sidecar flags: ${SIDECAR_OPTS[*]}"
  echo "command: $COMMAND_LINE"
  echo "load: sample backend wrk -t$THREADS -c$CONNECTIONS, static backend ($STATIC_BODY-byte body) wrk -t$STATIC_THREADS -c$STATIC_CONNECTIONS; -d$DURATION per measurement after ${ROUND_WARMUP}, $ROUNDS rounds of A,B then B,A on $PROCESSES sidecar process(es) per side"
} >"$WORK/header"
awk -f - "$WORK/results" <<'AWK' >"$WORK/table"
function median(a, n,   i, j, t) {
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^goal / { split($2, x, "="); p = x[2]; split($5, y, "="); gt[p] = y[2]; split($6, z, "="); gp[p] = z[2]
  split($3, u, "="); ca[p] = u[2]; split($4, w, "="); cb[p] = w[2]; order[np++] = p; next }
{ delete v; for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
/^copies / { cs[v["case"]] += v["sent"]; cf[v["case"]] += v["failed"]; cd[v["case"]] += v["dropped"]; next }
{ p = v["pair"]; s = v["side"]
  if (!(p in ca)) { singles[ns++] = p; sr[p] = v["rps"]; sp[p] = v["p99"]; sc[p] = v["case"]; su[p] = v["cpu_us"]; next }
  k = ++cnt[p, s]; rps[p, s, k] = v["rps"]; p99[p, s, k] = v["p99"]; err[p, s] += v["errors"]; cpu[p, s, k] = v["cpu_us"]
  seg[p, s, k] = v["segs"] + 0
  if (v["rss_peak_kb"] != "-") { c = v["case"]; rk[c]++; hw[c, rk[c]] = v["rss_peak_kb"]; rs[c, rk[c]] = v["rss_kb"]
    if (v["gc_max_ms"] + 0 > gm[c]) gm[c] = v["gc_max_ms"] + 0; gn[c] += v["gc_count"]; seen[c] = 1
    if (v["alloc_b"] != "-") { ak[c]++; al[c, ak[c]] = v["alloc_b"] } }
}
END {
  print "| pair | A | B | A req/s | B req/s | A/B req/s | A p99 ms | B p99 ms | A/B p99 | A CPU µs/req | B CPU µs/req | goal | result |"
  print "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for (i = 0; i < ns; i++) { p = singles[i]
    printf "| %s | %s | | %.0f | | | %.2f | | | %s | | | |\n", p, sc[p], sr[p], sp[p] / 1000, su[p] }
  for (o = 0; o < np; o++) { p = order[o]; n = cnt[p, "A"]; if (cnt[p, "B"] < n) n = cnt[p, "B"]; if (n == 0) continue
    delete ra; delete rb; delete pa; delete pb; delete rr; delete pr; delete ua; delete ub; delete sa; delete sb
    for (k = 1; k <= n; k++) { ra[k] = rps[p, "A", k]; rb[k] = rps[p, "B", k]; pa[k] = p99[p, "A", k]; pb[k] = p99[p, "B", k]
      ua[k] = cpu[p, "A", k] + 0; ub[k] = cpu[p, "B", k] + 0; sa[k] = seg[p, "A", k]; sb[k] = seg[p, "B", k]
      rr[k] = rb[k] > 0 ? ra[k] / rb[k] : 0; pr[k] = pb[k] > 0 ? pa[k] / pb[k] : 0
      # each round's ratios in the order measured, before median() sorts them
      rt = rt sprintf("%s%.2f", k > 1 ? ", " : "", rr[k]); pt = pt sprintf("%s%.2f", k > 1 ? ", " : "", pr[k]) }
    rounds[p] = rt " | " pt sprintf(" | %.2f, %.2f", median(sa, n), median(sb, n)); rt = ""; pt = ""
    mra = median(ra, n); mrb = median(rb, n); mpa = median(pa, n); mpb = median(pb, n); mrr = median(rr, n); mpr = median(pr, n)
    goal = ""; ok = 1
    if (gt[p] != "-") { goal = ">= " gt[p] "x req/s"; if (mrr < gt[p]) ok = 0 }
    if (gp[p] != "-") { goal = goal ", <= " gp[p] "x p99"; if (mpr > gp[p]) ok = 0; if (n < 6) few_p99 = 1 }
    res = goal == "" ? "(reported)" : ok ? "PASS" : "MISS"
    if (err[p, "A"] + err[p, "B"] > 0) res = res " (errors A " err[p, "A"] ", B " err[p, "B"] ")"
    printf "| %s | %s | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %s | %s |\n", p, ca[p], cb[p], mra, mrb,
      mrr, mpa / 1000, mpb / 1000, mpr, median(ua, n), median(ub, n), goal == "" ? "-" : goal, res }
  # the noise pairs' p99 median moves by more than a 10 % margin between runs of four rounds (docs/benchmarks.md)
  if (few_p99) print "\np99 verdicts over fewer than 6 rounds move from run to run by more than a 10 % margin (docs/benchmarks.md, \"How many rounds a goal needs\")."
  print ""
  print "| pair | A/B req/s by round | A/B p99 by round | TCP segments per request, A, B |"
  print "|---|---|---|---|"
  for (o = 0; o < np; o++) { p = order[o]; if (p in rounds) printf "| %s | %s |\n", p, rounds[p] }
  print ""
  print "| sidecar case | peak RSS MiB (median of windows) | RSS MiB at end | GC max pause ms | GC pauses | heap allocated KiB/req | copies sent | failed | dropped (share of taken) |"
  print "|---|---|---|---|---|---|---|---|---|"
  for (c in seen) { n = rk[c]; delete h; delete q; for (k = 1; k <= n; k++) { h[k] = hw[c, k]; q[k] = rs[c, k] }
    delete b; for (k = 1; k <= ak[c]; k++) b[k] = al[c, k]
    t = cs[c] + cf[c] + cd[c]
    printf "| %s | %.0f | %.0f | %.1f | %d | %s | %s | %s | %s |\n", c, median(h, n) / 1024, median(q, n) / 1024, gm[c],
      gn[c], ak[c] ? sprintf("%.2f", median(b, ak[c]) / 1024) : "-", t ? cs[c] : "-", t ? cf[c] : "-",
      t ? sprintf("%s (%.1f %%)", cd[c], 100 * cd[c] / t) : "-" }
}
AWK
echo
cat "$WORK/header"
echo
cat "$WORK/table"
echo
echo "$FLOOD_LINE"
echo "$SOAK_LINE"
echo "$START_LINE"
echo "$ENGINE_LINE"
echo "raw results: $WORK/results"
