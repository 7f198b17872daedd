#!/usr/bin/env bash
# Process pools side by side: ParallelDsl's ProcessPool (bench/Pools, mode `processes`) and Python's multiprocessing.Pool
# and ProcessPoolExecutor (bench/python/pools_processes.py), then the ratios. Prints BENCH lines; BENCH_SMOKE=1 shrinks
# every workload so the suite only proves it runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
smoke="${BENCH_SMOKE:+--smoke}"

dotnet build "$root/bench/Pools" -c Release --nologo -v quiet >&2
ours="$(dotnet "$root/bench/Pools/bin/Release/net10.0/ParallelDsl.Benchmarks.Pools.dll" processes $smoke)"
echo "$ours"
python="$(python3 "$root/bench/python/pools_processes.py" $smoke)"
echo "$python"
# The lazy map of 10,000,000 generated items, each side in a fresh process: its peak memory is the map's alone.
ours="$ours"$'\n'"$(dotnet "$root/bench/Pools/bin/Release/net10.0/ParallelDsl.Benchmarks.Pools.dll" lazy $smoke)"
echo "$ours" | tail -2
python="$python"$'\n'"$(python3 "$root/bench/python/pools_lazy.py" $smoke)"
echo "$python" | tail -2

figure() { awk -v name="$1" '$1 == "BENCH" && $2 == name { print $3 }' <<<"$ours"$'\n'"$python"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "BENCH pools_map_1m_python_over_ours $(ratio "$(figure python_pool_map_1m_ints)" "$(figure pools_process_map_1m_ints)") x"
echo "BENCH pools_roundtrip_python_over_ours $(ratio "$(figure python_executor_submit_roundtrip_median)" "$(figure pools_process_submit_roundtrip_median)") x"
echo "BENCH pools_map_1m_ours_over_parallel_for $(ratio "$(figure pools_process_map_1m_ints)" "$(figure pools_parallel_for_1m_ints)") x"
echo "BENCH pools_lazy_map_10m_python_over_ours $(ratio "$(figure python_pool_imap_10m_ints)" "$(figure pools_lazy_map_10m_ints)") x"
echo "BENCH pools_lazy_map_10m_peak_rss_python_over_ours $(ratio "$(figure python_pool_imap_10m_peak_rss)" "$(figure pools_lazy_map_10m_peak_rss)") x"
