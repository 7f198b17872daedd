#!/usr/bin/env bash
# What worker insights cost when nobody reads them: the ProcessPool figures of bench/Pools (`processes` mode) built from
# this tree and from a base revision (BASE_REF, default main, checked out in a temporary worktree), run in turn in one
# session (base, ours, base, ours), then the ratios ours / base of the medians. A ratio near 1.00 means no cost;
# run it on a quiet machine. BENCH_SMOKE=1 uses this tree as its own base and the short workloads (proves it runs).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
base_ref="${BASE_REF:-main}"
smoke="${BENCH_SMOKE:+--smoke}"
rounds="${ROUNDS:-2}"

base_root="$root"
if [ -z "$smoke" ]; then
  base_root="$(mktemp -d)/base"
  git -C "$root" worktree add --detach --quiet "$base_root" "$base_ref" >&2
  trap 'git -C "$root" worktree remove --force "$base_root" >&2; rmdir "$(dirname "$base_root")"' EXIT
fi

dotnet build "$root/bench/Pools" -c Release --nologo -v quiet >&2
if [ "$base_root" != "$root" ]; then
  dotnet build "$base_root/bench/Pools" -c Release --nologo -v quiet >&2
fi

program() { echo "$1/bench/Pools/bin/Release/net10.0/ParallelDsl.Benchmarks.Pools.dll"; }
base_out=""
ours_out=""
for ((round = 1; round <= rounds; round++)); do
  echo "# round $round: base ($base_ref)" >&2
  base_out+="$(dotnet "$(program "$base_root")" processes $smoke)"$'\n'
  echo "# round $round: ours" >&2
  ours_out+="$(dotnet "$(program "$root")" processes $smoke)"$'\n'
done
echo "$base_out" | sed 's/^BENCH /# base: BENCH /' >&2
echo "$ours_out" | sed 's/^BENCH /# ours: BENCH /' >&2

# The median over the rounds of one figure.
median() {
  awk -v name="$1" '$1 == "BENCH" && $2 == name { print $3 }' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
for figure in pools_process_map_1m_ints pools_process_submit_roundtrip_median pools_primes_process_pool; do
  ours="$(median "$figure" <<<"$ours_out")"
  base="$(median "$figure" <<<"$base_out")"
  echo "BENCH pools_insights_${figure#pools_}_ours_over_base $(ratio "$ours" "$base") x"
done
