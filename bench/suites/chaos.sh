#!/usr/bin/env bash
# Process pools under random SIGKILLs and a SIGSTOP (tests/Fixtures/ChaosFixture, long form): kills survived, tasks
# lost and duplicated results (both must be 0), and the time a map takes with kills over the same map without.
# BENCH_SMOKE=1 runs the short form the runtime tests run. CHAOS_SEED fixes the seed (printed either way).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
form="long"
[ -n "${BENCH_SMOKE:-}" ] && form="short"
seed="${CHAOS_SEED:-$RANDOM}"

dotnet build "$root/tests/Fixtures/ChaosFixture" -c Release --nologo -v quiet >&2
# A private temporary directory: the program checks that nothing of the pools' is left in it.
temporary="$(mktemp -d "${TMPDIR:-/tmp}/chaos-bench.XXXXXX")"
trap 'rm -rf "$temporary"' EXIT
TMPDIR="$temporary/" "$root/tests/Fixtures/ChaosFixture/bin/Release/net10.0/ChaosFixture" "$form" "$seed"
