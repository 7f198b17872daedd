#!/usr/bin/env bash
# Cross-process data: ParallelDsl's queue and pipe against Python's multiprocessing.Queue and Connection.send_bytes
# (bench/QueueIpc, bench/python/ipc_queue.py), and handing a 256 MiB SharedArray to a child (bench/SharedMemoryIpc).
# Prints the figures of each, then BENCH lines, including the ratios to Python. BENCH_SMOKE=1 runs tiny sizes.
set -euo pipefail
bench="$(cd "$(dirname "$0")/.." && pwd)"

if [ -n "${BENCH_SMOKE:-}" ]; then
  items=20000 py_items=2000 messages=1 rounds=1 mebibytes=8 shared_rounds=1
else
  items=2000000 py_items=200000 messages=16 rounds=3 mebibytes=256 shared_rounds=5
fi

for project in QueueIpc SharedMemoryIpc; do
  dotnet build "$bench/$project" -c Release --nologo -v quiet >&2
done

dotnet_out="$(dotnet "$bench/QueueIpc/bin/Release/net10.0/QueueIpc.dll" "$items" "$messages" "$rounds")"
echo "$dotnet_out" | grep -v '^BENCH ' >&2
python_out="$(python3 "$bench/python/ipc_queue.py" "$py_items" "$messages" "$rounds")"
echo "$python_out" | grep -v '^PY ' >&2
shared_out="$(dotnet "$bench/SharedMemoryIpc/bin/Release/net10.0/SharedMemoryIpc.dll" "$mebibytes" "$shared_rounds")"
echo "$shared_out" >&2

figure() { awk -v name="$2" '$2 == name { print $3 }' <<<"$1"; }
queue=$(figure "$dotnet_out" ipc_queue_ints_per_s)
runs=$(figure "$dotnet_out" ipc_queue_runs_ints_per_s)
py_chunks=$(figure "$python_out" queue_chunks_ints_per_s)
pipe=$(figure "$dotnet_out" ipc_pipe_64mib_gib_per_s)
pipe_into=$(figure "$dotnet_out" ipc_pipe_64mib_receive_into_gib_per_s)
py_queue=$(figure "$python_out" queue_ints_per_s)
py_pipe=$(figure "$python_out" pipe_64mib_gib_per_s)

echo "$dotnet_out" | grep '^BENCH '
echo "BENCH ipc_python_queue_ints_per_s $py_queue items/s"
echo "BENCH ipc_python_pipe_64mib_gib_per_s $py_pipe GiB/s"
echo "BENCH ipc_python_queue_lists_ints_per_s $py_chunks items/s"
awk -v a="$queue" -v b="$py_queue" 'BEGIN { printf "BENCH ipc_queue_vs_python %.1f x\n", a / b }'
awk -v a="$runs" -v b="$py_queue" 'BEGIN { printf "BENCH ipc_queue_runs_vs_python %.1f x\n", a / b }'
awk -v a="$runs" -v b="$py_chunks" 'BEGIN { printf "BENCH ipc_queue_runs_vs_python_lists %.1f x\n", a / b }'
awk -v a="$pipe" -v b="$py_pipe" 'BEGIN { printf "BENCH ipc_pipe_vs_python %.1f x\n", a / b }'
awk -v a="$pipe_into" -v b="$py_pipe" 'BEGIN { printf "BENCH ipc_pipe_receive_into_vs_python %.1f x\n", a / b }'
# SharedMemoryIpc prints "  <how> ... first read <ms> ms   all read <ms> ms" for the shared and the pipe-copy hand-off.
awk -v mib="$mebibytes" '/first read/ {
  name = ($0 ~ /shared memory/) ? "shared_array" : "pipe_copy"
  for (i = 1; i <= NF; i++) if ($i == "first") first = $(i + 2); else if ($i == "all") all = $(i + 2)
  printf "BENCH ipc_%s_%dmib_first_read_ms %s ms\nBENCH ipc_%s_%dmib_all_read_ms %s ms\n", name, mib, first, name, mib, all
}' <<<"$shared_out"
