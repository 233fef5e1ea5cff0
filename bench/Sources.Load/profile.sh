#!/usr/bin/env bash
# Where the service's CPU goes under the harness's load: Linux perf, system-wide, 7 s inside each
# 32-client cell, then a report for the service's process only. Needs perf (Debian: linux-perf) and
# root. Longer cells than the plain run (12 s), no write to BENCHMARKS.md.
#   bash bench/Sources.Load/profile.sh [output folder]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/Shared/profile.sh
out=${1:-/tmp/sources-load-profile}
mkdir -p "$out"
start_harness Sources.Load --seconds 12 --warmup 3 --no-write

record() { # $1: the harness's line announcing the cell, $2: file name
  for _ in $(seq 1 3000); do grep -q "$1" "$out/harness.txt" && break; sleep 0.1; done
  sleep 4
  perf record -a -g -F 499 -o "$out/$2.data" -- sleep 7 > /dev/null 2>&1
}
record "embedded create, 32 clients" embedded-create
record "embedded get, 32 clients" embedded-get
record "postgres create, 32 clients" postgres-create
record "postgres get, 32 clients" postgres-get
wait $harness

pids=($(grep -o 'service pid [0-9]*' "$out/harness.txt" | awk '{print $3}'))
for cell in embedded-create embedded-get postgres-create postgres-get; do
  pid=${pids[0]}; [[ $cell == postgres-* ]] && pid=${pids[1]}
  report "$out/$cell.data" "$pid" "$out/$cell.txt"
  echo "$out/$cell.txt (service pid $pid)"
done
