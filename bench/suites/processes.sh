#!/usr/bin/env bash
# Process benchmarks: ParallelDsl workers (apphost, `dotnet app.dll` and, where clang is installed, NativeAOT) next to
# Python's multiprocessing (spawn, forkserver and fork), then the ratios the goals are stated in. Prints BENCH lines;
# `bench/run.sh processes` runs it.
# Usage: bench/suites/processes.sh [runs]   (default 20; BENCH_SMOKE=1: 3 runs, round trips up to 1 MiB)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-20}"
largest=$((64 * 1024))
if [ -n "${BENCH_SMOKE:-}" ]; then
  runs=3
  largest=1024
fi

dotnet build bench/Processes -c Release -nologo -v quiet
out="bench/Processes/bin/Release/net10.0"
log="$(mktemp)"
aot="$(mktemp -d)"
trap 'rm -rf "$log" "$aot"' EXIT
# The NativeAOT variant needs the native linker (see .ci/aot-check); smoke runs leave it to that check.
if [ -z "${BENCH_SMOKE:-}" ] && command -v clang >/dev/null && command -v ld.lld >/dev/null; then
  dotnet publish bench/Processes -c Release -r linux-x64 -p:ProcessBenchAot=true -nologo -v quiet -o "$aot" >/dev/null
fi

{
  echo "## ParallelDsl, apphost"
  "$out/ProcessBench" "$runs" apphost "$largest"
  echo
  echo "## ParallelDsl, dotnet ProcessBench.dll"
  dotnet "$out/ProcessBench.dll" "$runs" dotnet "$largest"
  echo
  if [ -x "$aot/ProcessBench" ]; then
    echo "## ParallelDsl, NativeAOT"
    "$aot/ProcessBench" "$runs" aot "$largest"
    echo
  fi
  echo "## Python"
  python3 bench/python/mp_processes.py "$runs" "$largest"
} | tee "$log"

# Ratios of medians: a [RunInProcess] cold start against the bare .NET start (the floor) and Python's start methods.
awk '
  $1 == "BENCH" { value[$2] = $3 }
  END {
    cold = value["processes.apphost.cold_start"]
    printf "BENCH processes.ratio.cold_start_vs_hello %.2f x\n", cold / value["processes.apphost.hello"]
    printf "BENCH processes.ratio.cold_start_vs_python_spawn %.2f x\n", cold / value["processes.python_spawn.cold_start"]
    printf "BENCH processes.ratio.cold_start_vs_python_forkserver %.2f x\n", cold / value["processes.python_forkserver.cold_start"]
    # Large data (goal: 64 MiB there and back at >= 2 GiB/s and >= 3x Python forkserver, start included).
    if ("processes.apphost.echo_65536KiB" in value) {
      forkserver = value["processes.python_forkserver.echo_65536KiB"]
      printf "BENCH processes.ratio.echo_64MiB_vs_python_forkserver %.2f x\n", value["processes.apphost.echo_65536KiB"] / forkserver
      if ("processes.aot.echo_65536KiB" in value) {
        printf "BENCH processes.ratio.aot_echo_64MiB_vs_python_forkserver %.2f x\n", value["processes.aot.echo_65536KiB"] / forkserver
      }
    }
    if ("processes.aot.cold_start" in value) {
      aot = value["processes.aot.cold_start"]
      printf "BENCH processes.ratio.aot_cold_start_vs_aot_hello %.2f x\n", aot / value["processes.aot.hello"]
      printf "BENCH processes.ratio.aot_cold_start_vs_python_fork %.2f x\n", aot / value["processes.python_fork.cold_start"]
      printf "BENCH processes.ratio.aot_cold_start_vs_apphost_cold_start %.2f x\n", aot / cold
    }
  }' "$log"
