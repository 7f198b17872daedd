#!/usr/bin/env bash
# Process benchmarks: ParallelDsl workers (apphost and `dotnet app.dll`) next to Python's multiprocessing.
# Usage: bench/processes.sh [runs]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"

dotnet build bench/Processes -c Release -nologo -v quiet
out="bench/Processes/bin/Release/net10.0"

echo "## ParallelDsl, apphost"
"$out/ProcessBench" "$runs"
echo
echo "## ParallelDsl, dotnet ProcessBench.dll"
dotnet "$out/ProcessBench.dll" "$runs"
echo
echo "## Python"
python3 bench/python/mp_processes.py "$runs"
