#!/bin/sh
# check-tcp.sh - Consul-style TCP connect check for shadowcar (or any Consul/Nagios-compatible agent).
#
# Usage: check-tcp.sh HOST PORT [TIMEOUT_SECONDS]
#   Open a TCP connection to HOST:PORT within TIMEOUT_SECONDS (default 10) and close it again; nothing is sent.
# Exit codes (Consul): 0 passing (connected), 2 critical (refused, unreachable, timed out),
#   3 unknown/critical (bad usage, neither nc nor curl installed).
# Writing your own: only exit 2 is a failure. A plain command such as `test -f FILE` exits 1 when it fails,
#   which is a WARNING (the check still passes): end it with `|| exit 2`.
# Needs: nc (any flavour with -z), or curl (its telnet:// support is used only to connect). POSIX sh.
# Example: shadowcar.checks.db.args=/opt/shadowcar/scripts/checks/check-tcp.sh,127.0.0.1,5432,3

host=$1
port=$2
timeout=${3:-10}
if [ -z "$host" ] || [ -z "$port" ]; then
  echo "usage: check-tcp.sh HOST PORT [TIMEOUT_SECONDS]" >&2
  exit 3
fi
case $port$timeout in
  *[!0-9]*) echo "check-tcp.sh: PORT and TIMEOUT_SECONDS must be whole numbers" >&2; exit 3 ;;
esac

if command -v nc >/dev/null 2>&1; then
  if nc -z -w "$timeout" "$host" "$port" </dev/null >/dev/null 2>&1; then
    echo "TCP connect $host:$port: Success"
    exit 0
  fi
  echo "TCP connect $host:$port: failed"
  exit 2
elif command -v curl >/dev/null 2>&1; then
  # curl keeps a telnet:// connection open until --max-time: a finished connect shows as num_connects=1.
  connects=$(curl -s -o /dev/null -w '%{num_connects}' --connect-timeout "$timeout" --max-time "$((timeout + 1))" \
    "telnet://$host:$port" </dev/null 2>/dev/null)
  rc=$?
  if [ "$rc" -eq 0 ] || [ "$connects" = 1 ]; then
    echo "TCP connect $host:$port: Success"
    exit 0
  fi
  echo "TCP connect $host:$port: failed (curl exit $rc)"
  exit 2
fi
echo "check-tcp.sh: neither nc nor curl found" >&2
exit 3
