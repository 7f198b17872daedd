#!/usr/bin/env bash
# The analyzers' cost: a synthetic 100,000-line project compiled with the SDK's csc without analyzers, with a do-nothing
# control analyzer (the analyzer driver's cost) and with ParallelDsl's; reports ParallelDsl's own share above the control
# (bench/Analyzers). Prints BENCH lines for wall-clock and compiler CPU time. BENCH_SMOKE=1 compiles 5,000 lines once.
set -euo pipefail
bench="$(cd "$(dirname "$0")/.." && pwd)"

if [ -n "${BENCH_SMOKE:-}" ]; then
  lines=5000 runs=1
else
  lines=100000 runs=5
fi

dotnet run -c Release --project "$bench/Analyzers" -- --lines "$lines" --runs "$runs"
