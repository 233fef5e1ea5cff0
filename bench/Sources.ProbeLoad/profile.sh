#!/usr/bin/env bash
# Where a probe's CPU goes in the service side of row 1 (quick: a closed port) or row 2 (healthy:
# a real PostgreSQL): Linux perf, system-wide, 10 s inside the service side (the grain Test loop),
# then a report for the harness's process only (the silo runs in it). Needs perf (Debian:
# linux-perf) and root. One round of 30 s a side, no write to BENCHMARKS.md.
#   bash bench/Sources.ProbeLoad/profile.sh [output folder] [row: 1 or 2]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/Shared/profile.sh
out=${1:-/tmp/sources-probeload-profile}
row=${2:-1}
mkdir -p "$out"
start_harness Sources.ProbeLoad --rows "$row" --seconds 30 --rounds 1 --no-write
sleep 1
pid=$(pgrep -P "$harness") # timeout's child: the harness itself, where the silo runs
for _ in $(seq 1 3000); do grep -q "service, .* in flight" "$out/harness.txt" && break; sleep 0.1; done
sleep 5
perf record -a -g -F 499 -o "$out/service.data" -- sleep 10 > /dev/null 2>&1
wait $harness
report "$out/service.data" "$pid" "$out/service.txt"
echo "$out/service.txt (harness pid $pid)"
