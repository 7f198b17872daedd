#!/usr/bin/env bash
# The two hot paths of a ProcessPool, this tree against a base revision (BASE_REF, default main, checked out in a
# temporary worktree): the median Submit→result round trip of 50,000 submits one at a time, and the mean time of a
# map of 1,000,000 ints over 60 maps. bench/HotPaths is built against each tree; each figure is measured in PROCESSES
# fresh processes per side (default 12), run in turn (base, ours, base, ours, ...); the medians over the processes and
# the ratios ours / base are printed. Thousands of samples per process and many processes make it steadier than the
# median of five maps in one process. Run it on a quiet machine. BENCH_SMOKE=1 uses this tree as its own base, once.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
base_ref="${BASE_REF:-main}"
processes="${PROCESSES:-12}"
trips=50000
maps=60
work="$(mktemp -d)"
base_tree="$root"
cleanup() {
  if [ "$base_tree" != "$root" ]; then git -C "$root" worktree remove --force "$base_tree" >&2; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${BENCH_SMOKE:-}" ]; then
  processes=1 trips=2000 maps=3
else
  base_tree="$work/base-tree"
  git -C "$root" worktree add --detach --quiet "$base_tree" "$base_ref" >&2
fi

# Builds the harness (this tree's source) against the runtime and generator of tree $1, into $work/$2.
build() {
  mkdir -p "$work/$2-src"
  cp "$root/bench/HotPaths/Program.cs" "$root/bench/HotPaths/ParallelDsl.Benchmarks.HotPaths.csproj" "$work/$2-src/"
  dotnet build "$work/$2-src" -c Release --nologo -v quiet -p:ParallelDslTree="$1" -o "$work/$2" >&2
}
build "$base_tree" base
if [ "$base_tree" = "$root" ]; then cp -r "$work/base" "$work/ours"; else build "$root" ours; fi

run() { dotnet "$work/$1/ParallelDsl.Benchmarks.HotPaths.dll" "$2" "$3"; }
base_out=""
ours_out=""
for ((i = 1; i <= processes; i++)); do
  echo "# process $i of $processes: base ($base_ref), ours" >&2
  base_out+="$(run base trip "$trips")"$'\n'"$(run base map "$maps")"$'\n'
  ours_out+="$(run ours trip "$trips")"$'\n'"$(run ours map "$maps")"$'\n'
done
echo "$base_out" | sed '/^$/d; s/^BENCH /# base: BENCH /' >&2
echo "$ours_out" | sed '/^$/d; s/^BENCH /# ours: BENCH /' >&2

median() {
  awk -v name="$1" '$1 == "BENCH" && $2 == name { print $3 }' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for figure in hot_submit_roundtrip_median:us hot_map_1m_ints:ms; do
  name="${figure%%:*}"
  unit="${figure##*:}"
  ours="$(median "$name" <<<"$ours_out")"
  base="$(median "$name" <<<"$base_out")"
  echo "BENCH pools_${name}_base $base $unit"
  echo "BENCH pools_${name}_ours $ours $unit"
  echo "BENCH pools_${name}_ours_over_base $(awk -v a="$ours" -v b="$base" 'BEGIN { printf "%.3f", a / b }') x"
done
