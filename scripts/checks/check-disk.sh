#!/bin/sh
# check-disk.sh - Consul-style disk space check.
#
# Usage: check-disk.sh [PATH] [WARN_PERCENT] [CRITICAL_PERCENT]
#   Looks at the file system holding PATH (default /) with POSIX df -P and compares its used percentage with
#   WARN_PERCENT (default 80) and CRITICAL_PERCENT (default 90): at or above critical is critical, at or above warn
#   is warning. Prints "disk PATH: N% used (warn W%, critical C%)" and the df line.
# Exit codes (Consul): 0 passing, 1 warning, 2 critical, 3 unknown/critical (bad usage, df failed).
# Writing your own: only exit 2 is a failure. A plain command such as `test -f FILE` exits 1 when it fails,
#   which is a WARNING (the check still passes): end it with `|| exit 2`.
# Needs: df, awk. POSIX sh.
# Example: shadowcar.checks.disk.args=/opt/shadowcar/scripts/checks/check-disk.sh,/var/lib/app,85,95

path=${1:-/}
warn=${2:-80}
crit=${3:-90}
case $warn$crit in
  ''|*[!0-9]*) echo "check-disk.sh: WARN_PERCENT and CRITICAL_PERCENT must be whole numbers" >&2; exit 3 ;;
esac
if [ "$warn" -gt "$crit" ]; then
  echo "check-disk.sh: WARN_PERCENT ($warn) must not exceed CRITICAL_PERCENT ($crit)" >&2
  exit 3
fi
line=$(df -P "$path" 2>&1 | awk 'NR == 2')
used=$(printf '%s\n' "$line" | awk '{sub("%", "", $5); print $5}')
case $used in
  ''|*[!0-9]*) echo "check-disk.sh: cannot read usage of $path: $line" >&2; exit 3 ;;
esac
echo "disk $path: $used% used (warn $warn%, critical $crit%)"
echo "$line"
if [ "$used" -ge "$crit" ]; then
  exit 2
elif [ "$used" -ge "$warn" ]; then
  exit 1
fi
exit 0
