#!/usr/bin/env bash
# The cluster side by side on one private loopback broker: ParallelDsl's ClusterPool (bench/Cluster), a bare
# RabbitMQ.Client request/reply (the floor, measured by the same program) and Celery (bench/Cluster/celery_peer.py,
# Debian's python3-celery, installed when missing), then the ratios. BENCH_SMOKE=1 shrinks every workload.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
smoke="${BENCH_SMOKE:+--smoke}"

if ! /usr/bin/python3 -c 'import celery' 2> /dev/null; then
  echo "cluster: installing python3-celery" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-celery >&2
fi

dotnet build "$root/bench/Cluster" -c Release --nologo -v quiet >&2
broker="$(mktemp -d)"
trap '"$root/scripts/broker.sh" stop "$broker"; rm -rf "$broker"' EXIT
uri="$("$root/scripts/broker.sh" start "$broker")"

ours="$("$root/bench/Cluster/bin/Release/net10.0/ParallelDsl.Benchmarks.Cluster" "$uri" $smoke)"
echo "$ours"
celery="$(cd "$root/bench/Cluster" && /usr/bin/python3 celery_peer.py "$uri" $smoke)"
echo "$celery"

figure() { awk -v name="$1" '$1 == "BENCH" && $2 == name { print $3 }' <<<"$ours"$'\n'"$celery"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "BENCH cluster_roundtrip_ours_over_bare $(ratio "$(figure cluster_roundtrip_median)" "$(figure bare_rabbitmq_roundtrip_median)") x"
echo "BENCH cluster_roundtrip_ours_over_bare_quorum $(ratio "$(figure cluster_roundtrip_median)" "$(figure bare_rabbitmq_quorum_roundtrip_median)") x"
echo "BENCH cluster_roundtrip_celery_over_ours $(ratio "$(figure celery_roundtrip_median)" "$(figure cluster_roundtrip_median)") x"
echo "BENCH cluster_throughput_ours_over_celery $(ratio "$(figure cluster_map_tiny_tasks_per_s)" "$(figure celery_group_tiny_tasks_per_s)") x"
