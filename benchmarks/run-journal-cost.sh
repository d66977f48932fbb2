#!/usr/bin/env bash
# Omnibus ordered throughput with journaling on vs off (and fsync-batch), end to end, in one session: the edge
# benchmark's signal workload (one emitter, one subscriber, 100-byte bodies, acknowledgement window) against
# `omnibus start` (a one-node cluster: every broadcast signal goes through the order and, unless --no-journal, the
# journal), the three modes alternated for ROUNDS rounds (default 2) so that a drifting machine load weighs on all.
# docs/BENCHMARKS.md, "Journal". Results: benchmarks/target/journal-cost/<mode>-<round>/ (results.md, runs.csv).
#
#   benchmarks/run-journal-cost.sh [ROUNDS]
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
rounds="${1:-2}"
node="./omnibus start --config-file={config} --data-dir={dir}/data --print-address"
for round in $(seq "$rounds"); do
  for mode in on off fsync-batch; do
    case "$mode" in
      on) extra="" ;;
      off) extra=" --no-journal" ;;
      fsync-batch) extra=" --journal-durability=fsync-batch" ;;
    esac
    out="benchmarks/target/journal-cost/$mode-$round"
    rm -rf "$out"; mkdir -p "$(dirname "$out")"
    echo "== round $round, journal $mode, $(uptime)" >&2
    benchmarks/run-edge-bench.sh --buses=omnibus --workloads=signal --bodies=100 --subscribers=1 --runs=3 \
      --floor=false --out="$out" --omnibus-command="$node$extra" >"$out.log" 2>&1 || {
        echo "run failed, see $out.log" >&2; exit 1; }
    grep "msg/s per subscriber\|bus CPU per delivery" "$out/results.md" >&2
  done
done
