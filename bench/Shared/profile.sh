# Sourced by each harness's profile.sh (Linux perf over a harness run). Managed frames are named
# from the perf map the runtime writes (/tmp/perf-PID.map): ReadyToRun off so framework code is
# jitted too, W^X off so jitted code is not in a memfd mapping perf cannot match.

# start_harness PROJECT ARGS...: builds bench/PROJECT in Release (log in $out/build.txt), then runs
# it in the background with ARGS under those settings, output in $out/harness.txt; $harness is its pid.
start_harness() {
  local project=$1; shift
  dotnet build -c Release "bench/$project" > "$out/build.txt"
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 \
    timeout 600 dotnet "bench/$project/bin/Release/net10.0/$project.dll" "$@" > "$out/harness.txt" 2>&1 &
  harness=$!
}

# report DATA PID TXT: what perf recorded in DATA, for the process PID only, as text in TXT.
report() {
  perf report -i "$1" --pid "$2" --stdio --children --percentage relative --sort sym -g none --percent-limit 1.5 \
    > "$3" 2> /dev/null
}
