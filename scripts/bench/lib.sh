# Shared by the benchmark scripts (sourced, from the repository root): tools, free ports, waiting for a listener.

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
