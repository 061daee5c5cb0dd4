# Shared by the benchmark scripts (sourced, from the repository root, before they start a process): the processes
# they start, stopped however the script ends; tools, free ports, waiting for a listener.

# Every process a script starts goes in PIDS; all are killed, and waited for, when the script exits.
PIDS=()
stop_started() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_started EXIT

need() { command -v "$1" >/dev/null 2>&1; }

# require_tools "wrk nginx" "wrk nginx-light": installs the Debian packages when a command is missing and we are root.
require_tools() { # commands packages
  local missing=0 cmd
  for cmd in $1; do need "$cmd" || missing=1; done
  [ "$missing" = 0 ] && return 0
  if [ "$(id -u)" = 0 ] && need apt-get; then
    echo "installing $2 (Debian packages)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null
  else
    echo "$(basename "$0") needs $1: apt-get install $2" >&2; exit 2
  fi
}

free_port() { python3 - <<'PY' 2>/dev/null || shuf -i 20000-60000 -n 1
import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()
PY
}

wait_file() { # file
  for _ in $(seq 1 300); do [ -s "$1" ] && return 0; sleep 0.1; done
  echo "no $1" >&2; return 1
}

wait_port() { # port
  for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# CPU time from /proc, in the kernel's clock ticks
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # pid: user+system CPU ticks of the process and its children (nginx workers)
  local p t=0
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$t"
}
us_per_request() { # ticks requests decimals: CPU ticks as microseconds per request
  awk -v d="$1" -v n="$2" -v hz="$CLK_TCK" -v p="$3" 'BEGIN { printf "%.*f", p, (n > 0 ? d * 1e6 / hz / n : 0) }'
}

# The demo's sample service as a backend or shadow, answering after delay_ms, at a nice value when given; its log in
# $WORK, its pid added to PIDS (which the script's clean-up kills) and left in LAST_PID. Needs JAR and WORK.
start_sample() { # name port delay_ms [nice]
  nice -n "${4:-0}" java -Xmx512m -XX:+UseParallelGC -cp "$JAR" io.shadowcar.launcher.demo.SampleService \
    --name "$1" --port "$2" --delay-ms "$3" --quiet >"$WORK/$1.log" 2>&1 &
  LAST_PID=$!; PIDS+=($!); wait_port "$2"
}
