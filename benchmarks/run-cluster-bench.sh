#!/usr/bin/env bash
# The cluster benchmark in one command: Omnibus AGREED and SAFE vs JGroups 5.4 SEQUENCER vs raw Aeron multicast,
# 3 members on loopback, 100-byte messages, every member sending (org.omnibus.benchmarks.cluster.ClusterBench;
# docs/BENCHMARKS.md, "Cluster: ordered multicast vs JGroups and raw Aeron").
#
#   benchmarks/run-cluster-bench.sh [ClusterBench options]     e.g. --runs=3 --systems=omnibus-agreed,jgroups
#   benchmarks/run-cluster-bench.sh --help
#
# Builds the harness first if any source is newer than the jar (or always with OMNIBUS_BENCH_REBUILD=1). Every
# (system, run) runs in a child JVM of its own, the systems interleaved run by run; each child is bounded (about
# 15 s). Output: the console and benchmarks/target/cluster-bench/results-<UTC time>.md, with `uptime` before and
# after. Multicast stays on loopback (interface=127.0.0.1, ttl 0).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

jar=benchmarks/target/benchmarks.jar
newer_source() {
  find . \( -name .git -o -name target \) -prune -o \( -name '*.java' -o -name '*.xml' \) -newer "$1" -print -quit
}
if [ -n "${OMNIBUS_BENCH_REBUILD:-}" ] || [ ! -f "$jar" ] || [ -n "$(newer_source "$jar")" ]; then
  echo "run-cluster-bench: building benchmarks (mvn -B -q -DskipTests -pl benchmarks -am package) ..." >&2
  mvn -B -q -DskipTests -pl benchmarks -am package >&2
fi

# The JVM flags Agrona, Aeron and SBE need (the parent pom's omnibus.jvm.flags), and IPv4 for JGroups.
flags="$(sed -n 's|.*<omnibus.jvm.flags>\(.*\)</omnibus.jvm.flags>.*|\1|p' pom.xml)"
out="benchmarks/target/cluster-bench"
mkdir -p "$out"
results="$out/results-$(date -u +%Y%m%dT%H%M%SZ).md"

pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)"
  echo "uptime before: $(uptime)"
} | tee "$results"
# setsid: the harness and its child JVMs form one process group that cleanup() can end as a whole.
# shellcheck disable=SC2086
setsid java $flags -Djava.net.preferIPv4Stack=true -Xmx1g -cp "$jar" \
  org.omnibus.benchmarks.cluster.ClusterBench "$@" > >(tee -a "$results") 2>&1 &
pid=$!
set +e
wait "$pid"
status=$?
set -e
pid=""
echo "uptime after: $(uptime)" | tee -a "$results"
echo "results: $results" >&2
exit "$status"
