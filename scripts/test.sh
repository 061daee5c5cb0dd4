#!/usr/bin/env bash
# Runs every test. The tests start their own Kafka broker (in-JVM KRaft) and Eureka server; the dashboard's browser
# test needs Debian's chromium and chromium-driver, installed here when missing and we are root (otherwise the test
# fails and prints the install command).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and chromium-driver for the dashboard's browser test" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "note: chromium/chromedriver missing; the browser test will fail with the command that installs them" >&2
  fi
fi
exec ./mvnw -B verify "$@"
