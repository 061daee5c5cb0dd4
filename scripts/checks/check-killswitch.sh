#!/bin/sh
# check-killswitch.sh - a check that fails while a kill switch file exists.
#
# Usage: check-killswitch.sh FILE [warn]
#   While FILE exists the check is critical (exit 2), or warning (exit 1) with the second argument "warn"; the
#   first line of FILE (the operator's note, if any) is printed. Without FILE it passes (exit 0).
# Exit codes (Consul): 0 passing, 1 warning, 2 critical, 3 unknown/critical (bad usage).
# Writing your own: only exit 2 is a failure. A plain command such as `test -f FILE` exits 1 when it fails,
#   which is a WARNING (the check still passes): end it with `|| exit 2`.
# Note: shadowcar's own shadowcar.killswitch.file already turns the instance OUT_OF_SERVICE (not DOWN); use this
#   script to make a kill switch count as a failing check, or with another Consul-compatible agent. POSIX sh.
# Example: shadowcar.checks.maintenance.args=/opt/shadowcar/scripts/checks/check-killswitch.sh,/etc/app/down

file=$1
mode=${2:-critical}
if [ -z "$file" ]; then
  echo "usage: check-killswitch.sh FILE [warn]" >&2
  exit 3
fi
if [ -e "$file" ]; then
  note=$(head -n 1 "$file" 2>/dev/null)
  echo "kill switch $file present${note:+: $note}"
  [ "$mode" = warn ] && exit 1
  exit 2
fi
echo "kill switch $file absent"
exit 0
