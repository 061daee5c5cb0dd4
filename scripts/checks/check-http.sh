#!/bin/sh
# check-http.sh - Consul-style HTTP check for shadowcar (or any Consul/Nagios-compatible agent).
#
# Usage: check-http.sh URL [TIMEOUT_SECONDS]
#   GET URL (no redirects followed) with a time limit (default 10 s) and print "HTTP GET URL: CODE" plus the
#   start of the body (at most 4 KiB).
# Exit codes (Consul): 0 passing (2xx), 1 warning (429 Too Many Requests), 2 critical (any other status, connection
#   refused, timeout, DNS failure), 3 unknown/critical (bad usage, neither curl nor wget installed).
# Writing your own: only exit 2 is a failure. A plain command such as `test -f FILE` exits 1 when it fails,
#   which is a WARNING (the check still passes): end it with `|| exit 2`.
# Needs: curl, or busybox/GNU wget as a fallback. POSIX sh.
# Example: shadowcar.checks.web.args=/opt/shadowcar/scripts/checks/check-http.sh,http://127.0.0.1:8080/health,5

url=$1
timeout=${2:-10}
if [ -z "$url" ]; then
  echo "usage: check-http.sh URL [TIMEOUT_SECONDS]" >&2
  exit 3
fi
case $timeout in
  ''|*[!0-9]*) echo "check-http.sh: TIMEOUT_SECONDS must be a whole number, got '$timeout'" >&2; exit 3 ;;
esac

body=$(mktemp "${TMPDIR:-/tmp}/check-http.XXXXXX") || exit 3
errors=$(mktemp "${TMPDIR:-/tmp}/check-http.XXXXXX") || exit 3
trap 'rm -f "$body" "$errors"' EXIT
trap 'exit 2' INT TERM

if command -v curl >/dev/null 2>&1; then
  code=$(curl -sS -o "$body" -w '%{http_code}' --max-time "$timeout" -H 'Connection: close' \
    -A shadowcar-check-http "$url" 2>"$errors")
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "HTTP GET $url: no response (curl exit $rc)"
    cat "$errors"
    exit 2
  fi
elif command -v wget >/dev/null 2>&1; then
  # wget prints the status line of the response on stderr with -S; it exits 8 on 4xx/5xx, so read the code instead.
  code=$(wget -S -O "$body" -T "$timeout" --max-redirect=0 -U shadowcar-check-http "$url" 2>&1 \
    | awk '/^ *HTTP\//{c=$2} END{print c}')
  if [ -z "$code" ]; then
    echo "HTTP GET $url: no response"
    exit 2
  fi
else
  echo "check-http.sh: neither curl nor wget found" >&2
  exit 3
fi

echo "HTTP GET $url: $code"
head -c 4096 "$body"
case $code in
  2??) exit 0 ;;
  429) exit 1 ;;
  *) exit 2 ;;
esac
