#!/usr/bin/env bash
# Runs benchmark suites and ends with one line per headline figure: `BENCH <name> <value> <unit>`.
#
#   bench/run.sh <suite>...   run the named suites (bench/run.sh list shows them)
#   bench/run.sh all          run every suite
#   bench/run.sh smoke        run every suite in a very short mode (for CI: checks they run, not how fast)
#
# A suite is either a class of the ParallelDsl.Benchmarks project (registered in its Program.cs) or an executable
# script bench/suites/<suite>.sh that prints its own BENCH lines (it gets BENCH_SMOKE=1 in smoke mode).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
project="$here/ParallelDsl.Benchmarks"
program="$project/bin/Release/net10.0/ParallelDsl.Benchmarks.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ $# -eq 0 ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi

echo "bench: building the benchmarks (Release)" >&2
dotnet build "$project" -c Release --nologo -v quiet >&2

all_suites() {
  dotnet "$program" --list
  if [ -d "$here/suites" ]; then
    find "$here/suites" -maxdepth 1 -name '*.sh' -exec basename {} .sh \; | sort
  fi
}

smoke=""
case "$1" in
  list) all_suites; exit 0 ;;
  all) mapfile -t suites < <(all_suites) ;;
  smoke) smoke="--smoke"; mapfile -t suites < <(all_suites) ;;
  *) suites=("$@") ;;
esac

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cd "$here"
for suite in "${suites[@]}"; do
  echo "bench: suite $suite${smoke:+ (smoke)}" >&2
  if [ -x "$here/suites/$suite.sh" ]; then
    BENCH_SMOKE="${smoke:+1}" "$here/suites/$suite.sh" | tee -a "$log" >&2
  else
    dotnet "$program" "$suite" $smoke | tee -a "$log" >&2
  fi
done

# The suites' own output went to stderr: standard output is only the figures, once each.
grep '^BENCH ' "$log" || { echo "bench: no figures were reported" >&2; exit 1; }
