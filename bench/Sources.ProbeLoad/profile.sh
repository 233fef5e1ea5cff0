#!/usr/bin/env bash
# Where a quick probe's CPU goes in the service row of row 1: Linux perf, system-wide, 10 s inside
# the service side (the grain Test loop on a closed port), then a report for the harness's process
# only (the silo runs in it). Needs perf (Debian: linux-perf) and root. Managed frames are named from
# the perf map the runtime writes (/tmp/perf-PID.map): ReadyToRun off so framework code is jitted
# too, W^X off so jitted code is not in a memfd mapping perf cannot match. One round of 30 s a side,
# no write to BENCHMARKS.md.
#   bash bench/Sources.ProbeLoad/profile.sh [output folder]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-/tmp/sources-probeload-profile}
mkdir -p "$out"
dotnet build -c Release bench/Sources.ProbeLoad > "$out/build.txt"
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 \
  timeout 600 dotnet bench/Sources.ProbeLoad/bin/Release/net10.0/Sources.ProbeLoad.dll --rows 1 --seconds 30 --rounds 1 --no-write > "$out/harness.txt" 2>&1 &
harness=$!
sleep 1
pid=$(pgrep -P "$harness") # timeout's child: the harness itself, where the silo runs
for _ in $(seq 1 3000); do grep -q "service, .* in flight" "$out/harness.txt" && break; sleep 0.1; done
sleep 5
perf record -a -g -F 499 -o "$out/service.data" -- sleep 10 > /dev/null 2>&1
wait $harness
perf report -i "$out/service.data" --pid "$pid" --stdio --children --percentage relative --sort sym -g none --percent-limit 1.5 \
  > "$out/service.txt" 2> /dev/null
echo "$out/service.txt (harness pid $pid)"
